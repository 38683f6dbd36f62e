package io.edgeai4j.inference.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a backend runs models. Immutable; build with {@link #builder()}, validated in {@link Builder#build()}.
 */
public final class BackendOptions {
  /** The defaults: 1 intra-op thread, 1 inter-op thread, all optimisations, no cache. */
  public static final BackendOptions DEFAULT = builder().build();

  private final int intraOpThreads;
  private final int interOpThreads;
  private final OptimizationLevel optimizationLevel;
  private final Path optimizedModelCache;

  private BackendOptions(Builder b) {
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.optimizationLevel = b.optimizationLevel;
    this.optimizedModelCache = b.optimizedModelCache;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Threads one run may use inside an operator (0: the backend's default, usually one per core). */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Threads one run may use across independent operators (0: the backend's default). */
  public int interOpThreads() {
    return interOpThreads;
  }

  public OptimizationLevel optimizationLevel() {
    return optimizationLevel;
  }

  /** A directory where the backend keeps optimised models between starts, if any. */
  public Optional<Path> optimizedModelCache() {
    return Optional.ofNullable(optimizedModelCache);
  }

  /** Builds {@link BackendOptions}. Not thread-safe. */
  public static final class Builder {
    private int intraOpThreads = 1;
    private int interOpThreads = 1;
    private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
    private Path optimizedModelCache;

    private Builder() {}

    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    public Builder interOpThreads(int threads) {
      this.interOpThreads = threads;
      return this;
    }

    public Builder optimizationLevel(OptimizationLevel level) {
      this.optimizationLevel = Objects.requireNonNull(level, "optimizationLevel");
      return this;
    }

    public Builder optimizedModelCache(Path directory) {
      this.optimizedModelCache = directory;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException Naming the value out of range.
     */
    public BackendOptions build() {
      if (intraOpThreads < 0 || intraOpThreads > 1024 || interOpThreads < 0 || interOpThreads > 1024) {
        throw new IllegalArgumentException("intraOpThreads and interOpThreads must be 0 (backend default) to 1024,"
            + " found " + intraOpThreads + " and " + interOpThreads);
      }
      return new BackendOptions(this);
    }
  }
}
