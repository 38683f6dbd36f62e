package io.edgeai4j.optimize.partition;

/**
 * How {@link Profiler} runs a model: intra-op threads, measured runs and warm-up runs (not counted). Validated once;
 * immutable.
 */
public record ProfileOptions(int threads, int runs, int warmupRuns) {
  /** The defaults of {@code edge model profile}: 1 thread, 50 measured runs after 5 warm-up runs. */
  public static final ProfileOptions DEFAULTS = new ProfileOptions(1, 50, 5);

  /** Checks the ranges. */
  public ProfileOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, found " + runs);
    }
    if (warmupRuns < 0) {
      throw new IllegalArgumentException("warm-up runs must be >= 0, found " + warmupRuns);
    }
  }
}
