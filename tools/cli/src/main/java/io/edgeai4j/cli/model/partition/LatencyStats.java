package io.edgeai4j.cli.model.partition;

import java.util.Arrays;

/**
 * Summary of measured end-to-end latencies, in milliseconds: mean, percentiles (nearest rank) and the half-width of
 * the 95 % confidence interval of the mean (Student's t with n − 1 degrees of freedom × standard error; 0 for one
 * sample). Immutable.
 */
public record LatencyStats(int count, double meanMs, double p50Ms, double p90Ms, double minMs, double maxMs,
    double stddevMs, double ci95Ms) {

  /**
   * Summarizes latencies given in nanoseconds.
   *
   * @throws IllegalArgumentException if there are none
   */
  public static LatencyStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no latencies to summarize");
    }
    double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
    int n = ms.length;
    double mean = Arrays.stream(ms).average().orElseThrow();
    double squares = 0;
    for (double v : ms) {
      squares += (v - mean) * (v - mean);
    }
    double stddev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
    double ci = n > 1 ? tQuantile975(n - 1) * stddev / Math.sqrt(n) : 0;
    return new LatencyStats(n, mean, rank(ms, 0.50), rank(ms, 0.90), ms[0], ms[n - 1], stddev, ci);
  }

  private static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The 0.975 quantile of Student's t: exact for 1 and 2 degrees of freedom, else the Cornish-Fisher expansion. */
  static double tQuantile975(int df) {
    if (df == 1) {
      return 12.706;
    }
    if (df == 2) {
      return 4.303;
    }
    double z = 1.959964;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    double z7 = z5 * z * z;
    return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
  }
}
