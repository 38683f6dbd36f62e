/**
 * TensorRT through the JavaCPP {@code org.bytedeco:tensorrt} presets: discovery of the system's libraries and the
 * version check ({@link io.edgeai4j.nativebindings.tensorrt.TensorRt#probe()}), the process-wide logger, the engine
 * compiler run in the builder child process, and the runtime side (one
 * {@link io.edgeai4j.nativebindings.tensorrt.TensorRtRuntime} per process, engines deserialized once, one
 * {@link io.edgeai4j.nativebindings.tensorrt.ExecutionContext} per worker). TensorRT objects are never freed: the
 * presets cannot (bytedeco/javacpp-presets#1699).
 */
package io.edgeai4j.nativebindings.tensorrt;
