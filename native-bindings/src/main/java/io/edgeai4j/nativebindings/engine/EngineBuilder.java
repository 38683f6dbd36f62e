package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.NativeBindingException;
import java.nio.file.Path;

/**
 * Builds a serialized engine into a directory. {@link ChildProcessEngineBuilder} is the implementation: it runs the
 * {@link EngineCompiler} in a child JVM so the builder's native memory returns to the system when the build ends.
 * Implementations are thread-safe: each call is one build.
 */
public interface EngineBuilder {
  /**
   * Builds the engine {@code options} describe.
   *
   * @param options What to build; {@link EngineBuildOptions#timeout()} bounds the build.
   * @param outputDir An existing directory the plan is written to (a temporary file the caller moves or deletes).
   * @param progress Where progress is forwarded, in the order the compiler reported it.
   * @return The plan written, the TensorRT version that built it and how long it took.
   * @throws NativeBindingException The compiler's error (its operation and code), a timeout, or a crashed builder.
   */
  BuiltEngine build(EngineBuildOptions options, Path outputDir, BuildProgress progress)
      throws NativeBindingException;
}
