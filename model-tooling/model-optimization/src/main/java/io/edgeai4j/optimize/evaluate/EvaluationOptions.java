package io.edgeai4j.optimize.evaluate;

/**
 * How {@link ModelEvaluator} compares two models. Immutable, validated once.
 *
 * @param topK The {@code k} of top-k accuracy, at least 1 (a label among the {@code k} highest outputs counts).
 * @param latencyRuns Timed batch-1 runs of each model, at least 1.
 * @param warmupRuns Untimed batch-1 runs of each model before them, at least 0.
 */
public record EvaluationOptions(int topK, int latencyRuns, int warmupRuns) {
  /** Top-5, 200 timed runs after 20 warm-up runs. */
  public static final EvaluationOptions DEFAULT = new EvaluationOptions(5, 200, 20);

  /** Validates. */
  public EvaluationOptions {
    if (topK < 1) {
      throw new IllegalArgumentException("top-k must be at least 1, found " + topK);
    }
    if (latencyRuns < 1) {
      throw new IllegalArgumentException("latency runs must be at least 1, found " + latencyRuns);
    }
    if (warmupRuns < 0) {
      throw new IllegalArgumentException("warm-up runs must be at least 0, found " + warmupRuns);
    }
  }
}
