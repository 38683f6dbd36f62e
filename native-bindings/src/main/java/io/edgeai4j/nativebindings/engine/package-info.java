/**
 * Engine builds and the engine cache: {@link io.edgeai4j.nativebindings.engine.EngineCache} keyed by
 * {@link io.edgeai4j.nativebindings.engine.EngineCacheKey}, builds in a child JVM
 * ({@link io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder},
 * {@link io.edgeai4j.nativebindings.engine.EngineBuilderMain}) around the TensorRT
 * {@link io.edgeai4j.nativebindings.engine.EngineCompiler}.
 */
package io.edgeai4j.nativebindings.engine;
