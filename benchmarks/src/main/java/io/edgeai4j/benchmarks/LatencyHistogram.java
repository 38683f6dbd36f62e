package io.edgeai4j.benchmarks;

/**
 * Counts latencies in 1 µs buckets up to {@value #LIMIT_MICROS} µs; longer ones land in one overflow bucket and a
 * percentile that falls there reads as {@value #LIMIT_MICROS}. Recording is O(1) and allocates nothing. Not
 * thread-safe: one thread records.
 */
final class LatencyHistogram {
  /** The largest latency told apart, in microseconds. */
  static final int LIMIT_MICROS = 100_000;

  private final long[] counts = new long[LIMIT_MICROS + 1];
  private long count;

  /** Records one latency; a negative one counts as 0. */
  void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    counts[(int) Math.min(micros, LIMIT_MICROS)]++;
    count++;
  }

  /** Adds every count of {@code other}. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
    count = 0;
  }

  long count() {
    return count;
  }

  /**
   * The smallest latency, in whole microseconds, that at least {@code percent} % of the recorded ones do not
   * exceed.
   *
   * @throws IllegalStateException If nothing was recorded.
   * @throws IllegalArgumentException If {@code percent} is outside (0, 100].
   */
  long percentileMicros(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in (0, 100], found " + percent);
    }
    if (count == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    long rank = (long) Math.ceil(percent / 100 * count);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i;
      }
    }
    return LIMIT_MICROS;
  }
}
