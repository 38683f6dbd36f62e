package io.edgeai4j.optimize.evaluate;

import java.util.Arrays;

/**
 * Batch-1 latency of one model: {@code runs} timed {@code OrtSession.run} calls (input tensors made beforehand).
 *
 * @param runs How many runs were timed.
 * @param meanMs Their mean, in milliseconds.
 * @param p50Ms The median (nearest rank).
 * @param p99Ms The 99th percentile (nearest rank).
 */
public record Latency(int runs, double meanMs, double p50Ms, double p99Ms) {
  /** The statistics of the given run times, in nanoseconds. */
  static Latency of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no run was timed");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElseThrow();
    return new Latency(sorted.length, mean / 1e6, rank(sorted, 0.50) / 1e6, rank(sorted, 0.99) / 1e6);
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
  static long rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
