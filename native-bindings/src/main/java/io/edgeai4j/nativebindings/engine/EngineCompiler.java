package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;

/**
 * Turns an ONNX model into a serialized TensorRT engine, in the calling process. The engine builder child process
 * ({@code EngineBuilderMain}) finds the one implementation with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.edgeai4j.nativebindings.engine.EngineCompiler}); the TensorRT one lives in
 * {@code io.edgeai4j.nativebindings.tensorrt}. Builder objects cannot be freed from Java with the TensorRT 10/11
 * presets, which is why this only ever runs in a short-lived child process.
 */
public interface EngineCompiler {
  /** The TensorRT version that will build (the loaded library's), for the engine cache key. */
  TensorRtVersion version() throws NativeBindingException;

  /**
   * Builds the engine.
   *
   * @param options What to build; its timing cache, when set, is read before and written after the build.
   * @param progress Where to report progress.
   * @return The serialized engine (the plan).
   * @throws NativeBindingException The parser's errors (each with its node and description), an unsupported
   *     precision for this TensorRT, or a build that returned no engine, naming the step.
   */
  byte[] compile(EngineBuildOptions options, BuildProgress progress) throws NativeBindingException;
}
