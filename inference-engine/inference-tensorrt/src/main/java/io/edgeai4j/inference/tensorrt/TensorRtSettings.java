package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.nativebindings.engine.EngineCacheDir;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The backend's process-wide settings, resolved once when it opens.
 *
 * @param cacheDir Where engines are cached: {@code <BackendOptions.optimizedModelCache>/tensorrt-engines} when the
 *     module configures a cache, else {@code $EDGEAI4J_ENGINE_CACHE}, else {@code ~/.cache/edgeai4j/engines}.
 * @param maxEngines How many engines this process may deserialize ({@code $EDGEAI4J_TENSORRT_MAX_ENGINES}, 1 to
 *     1024, default 16); past it a load (a hot swap) is refused with a message saying to restart the module.
 */
record TensorRtSettings(Path cacheDir, int maxEngines) {
  static final String CACHE_ENV = EngineCacheDir.VARIABLE;
  static final String MAX_ENGINES_ENV = "EDGEAI4J_TENSORRT_MAX_ENGINES";
  static final int DEFAULT_MAX_ENGINES = 16;
  /** The sub-directory of {@link BackendOptions#optimizedModelCache()} (ONNX Runtime keeps its files beside it). */
  static final String CACHE_SUBDIR = "tensorrt-engines";

  TensorRtSettings {
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (maxEngines < 1 || maxEngines > 1024) {
      throw new IllegalArgumentException(MAX_ENGINES_ENV + " must be 1 to 1024, found " + maxEngines);
    }
  }

  /** This process's settings: its environment and {@code user.home}. */
  static TensorRtSettings of(BackendOptions options) {
    return resolve(options, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Resolves the settings.
   *
   * @throws IllegalArgumentException {@value #MAX_ENGINES_ENV} is not an integer from 1 to 1024 (naming it).
   */
  static TensorRtSettings resolve(BackendOptions options, Map<String, String> env, Path home) {
    Path cache = options.optimizedModelCache().map(d -> d.resolve(CACHE_SUBDIR))
        .orElseGet(() -> EngineCacheDir.resolve(null, env, home));
    String max = env.get(MAX_ENGINES_ENV);
    int maxEngines = DEFAULT_MAX_ENGINES;
    if (max != null && !max.isBlank()) {
      try {
        maxEngines = Integer.parseInt(max.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(MAX_ENGINES_ENV + " must be an integer from 1 to 1024, found '" + max + "'",
            e);
      }
    }
    return new TensorRtSettings(cache.toAbsolutePath().normalize(), maxEngines);
  }
}
