package io.edgeai4j.hardwaretests.tegrastats;

/** Minimum, mean and maximum of one quantity over a run, with the number of samples. Immutable. */
public record Range(double min, double mean, double max, long samples) {

  /** Accumulates a range; not thread-safe. */
  static final class Accumulator {
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private long count;

    void add(double v) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      count++;
    }

    Range range() {
      return new Range(min, sum / count, max, count);
    }
  }
}
