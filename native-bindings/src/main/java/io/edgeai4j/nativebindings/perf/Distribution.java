package io.edgeai4j.nativebindings.perf;

import java.util.Arrays;

/**
 * One metric's distribution over the timed queries, with trtexec's definitions
 * ({@code samples/common/sampleReporting.cpp}): the median is the middle value, or the mean of the two middle values
 * of an even count; a percentile P is the value at sorted index {@code max(n - 1 - (int) ((1 - P/100) * n), 0)},
 * computed in single precision as trtexec does (so p90 of 10 values is the 9th, p99 of 100 values the largest);
 * the coefficient of variation is the population standard deviation over the mean, in percent.
 *
 * <p>Immutable; values in milliseconds.
 */
public record Distribution(double min, double mean, double median, double p90, double p95, double p99,
    double max, double coefficientOfVariationPercent) {

  /** The distribution of {@code values} (not modified); at least one value. */
  public static Distribution of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values: a distribution needs at least one timed query");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    double mean = sum / sorted.length;
    double squares = 0;
    for (double v : sorted) {
      squares += (v - mean) * (v - mean);
    }
    double cv = mean == 0 ? 0 : Math.sqrt(squares / sorted.length) / mean * 100;
    return new Distribution(sorted[0], mean, median(sorted), percentile(90, sorted), percentile(95, sorted),
        percentile(99, sorted), sorted[sorted.length - 1], cv);
  }

  /** trtexec's {@code findMedian} over ascending values. */
  static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /** trtexec's {@code findPercentile} over ascending values; {@code percentile} in [0, 100]. */
  static double percentile(float percentile, double[] sorted) {
    return sorted[percentileIndex(percentile, sorted.length)];
  }

  /** The sorted index trtexec reads for {@code percentile} of {@code count} values, in float arithmetic. */
  static int percentileIndex(float percentile, int count) {
    if (!(percentile >= 0f && percentile <= 100f)) {
      throw new IllegalArgumentException("percentile " + percentile + " is not in [0, 100]");
    }
    if (count < 1) {
      throw new IllegalArgumentException("no values: a percentile needs at least one timed query");
    }
    int exclude = (int) ((1f - percentile / 100f) * count);
    return Math.max(count - 1 - exclude, 0);
  }
}
