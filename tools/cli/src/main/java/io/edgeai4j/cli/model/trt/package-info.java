/**
 * {@code edge model convert --to tensorrt}: the shape options in trtexec's syntax ({@link
 * io.edgeai4j.cli.model.trt.ShapeOptions}), the precision decision ({@link io.edgeai4j.cli.model.trt.PrecisionChoice}),
 * the engine cache's default directory ({@link io.edgeai4j.nativebindings.engine.EngineCacheDir}) and the conversion itself
 * ({@link io.edgeai4j.cli.model.trt.TensorRtConversion}), which builds through {@code native-bindings}' engine cache
 * and child-process builder.
 */
package io.edgeai4j.cli.model.trt;
