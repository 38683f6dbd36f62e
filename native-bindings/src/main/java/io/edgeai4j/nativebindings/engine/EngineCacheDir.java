package io.edgeai4j.nativebindings.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where engines are cached when {@code --engine-cache} is not given: {@code $EDGEAI4J_ENGINE_CACHE}, else
 * {@code ~/.cache/edgeai4j/engines}: shared by `edge model convert --to tensorrt` and the TensorRT backend, so that an engine converted ahead of
 * time is the one the inference module finds. Stateless.
 */
public final class EngineCacheDir {
  /** The environment variable naming the engine cache directory. */
  public static final String VARIABLE = "EDGEAI4J_ENGINE_CACHE";

  private EngineCacheDir() {}

  /** {@code explicit} when given, else {@link #VARIABLE} when set and not blank, else {@code <home>/.cache/...}. */
  public static Path resolve(Path explicit, Map<String, String> env, Path home) {
    if (explicit != null) {
      return explicit;
    }
    String dir = env.get(VARIABLE);
    return dir != null && !dir.isBlank() ? Path.of(dir) : home.resolve(".cache").resolve("edgeai4j").resolve("engines");
  }
}
