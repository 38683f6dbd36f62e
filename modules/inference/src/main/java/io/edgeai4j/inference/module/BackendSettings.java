package io.edgeai4j.inference.module;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.OptimizationLevel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The twin's {@code backendOptions}: how the backend runs models. Read at start only. Immutable.
 *
 * @param intraOpThreads Threads inside one operator, 0 (backend default) to 1024; default 1.
 * @param interOpThreads Threads across operators, 0 (backend default) to 1024; default 1.
 * @param optimizationLevel Graph optimisation, twin spelling {@code none}, {@code basic}, {@code extended},
 *     {@code all}; default {@code all}.
 * @param optimizedModelCache A directory for optimised models kept between starts, or null for none.
 */
public record BackendSettings(int intraOpThreads, int interOpThreads, OptimizationLevel optimizationLevel,
    Path optimizedModelCache) {
  /** The defaults: one thread each, all optimisations, no cache. */
  public static final BackendSettings DEFAULT = new BackendSettings(1, 1, OptimizationLevel.ALL, null);

  /** Binds from the twin; absent fields take their defaults. */
  @JsonCreator
  public static BackendSettings of(@JsonProperty("intraOpThreads") Integer intraOpThreads,
      @JsonProperty("interOpThreads") Integer interOpThreads,
      @JsonProperty("optimizationLevel") String optimizationLevel,
      @JsonProperty("optimizedModelCache") String optimizedModelCache) {
    return new BackendSettings(intraOpThreads == null ? 1 : intraOpThreads,
        interOpThreads == null ? 1 : interOpThreads, level(optimizationLevel),
        optimizedModelCache == null || optimizedModelCache.isBlank() ? null : Path.of(optimizedModelCache));
  }

  /** Validates. */
  public BackendSettings {
    if (intraOpThreads < 0 || intraOpThreads > 1024) {
      throw new IllegalArgumentException("backendOptions.intraOpThreads must be 0 (backend default) to 1024, found "
          + intraOpThreads);
    }
    if (interOpThreads < 0 || interOpThreads > 1024) {
      throw new IllegalArgumentException("backendOptions.interOpThreads must be 0 (backend default) to 1024, found "
          + interOpThreads);
    }
    if (optimizationLevel == null) {
      throw new IllegalArgumentException("backendOptions.optimizationLevel must not be null");
    }
  }

  private static OptimizationLevel level(String text) {
    if (text == null) {
      return OptimizationLevel.ALL;
    }
    for (OptimizationLevel level : OptimizationLevel.values()) {
      if (level.name().toLowerCase(Locale.ROOT).equals(text)) {
        return level;
      }
    }
    throw new IllegalArgumentException("backendOptions.optimizationLevel must be one of none, basic, extended, all;"
        + " found '" + text + "'");
  }

  /** The twin spelling of the optimisation level. */
  @JsonProperty("optimizationLevel")
  public String optimizationLevelSpelling() {
    return optimizationLevel.name().toLowerCase(Locale.ROOT);
  }

  /** The cache directory, if any. */
  public Optional<Path> cache() {
    return Optional.ofNullable(optimizedModelCache);
  }

  /** The same settings as the backend SPI's options. */
  public BackendOptions toOptions() {
    return BackendOptions.builder().intraOpThreads(intraOpThreads).interOpThreads(interOpThreads)
        .optimizationLevel(optimizationLevel).optimizedModelCache(optimizedModelCache).build();
  }
}
