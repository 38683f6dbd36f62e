/**
 * The inference backend SPI, pure Java: {@link io.edgeai4j.inference.backend.InferenceBackendProvider}s found with
 * {@link java.util.ServiceLoader} report whether they can run here and why not
 * ({@link io.edgeai4j.inference.backend.BackendProbe}); {@link io.edgeai4j.inference.backend.Backends} picks one;
 * an {@link io.edgeai4j.inference.backend.InferenceBackend} loads
 * {@link io.edgeai4j.inference.backend.LoadedModel}s that run on {@link io.edgeai4j.inference.backend.Tensor}s held
 * in direct buffers. No native code here: backends (ONNX Runtime, TensorRT) live in their own jars.
 */
package io.edgeai4j.inference.backend;
