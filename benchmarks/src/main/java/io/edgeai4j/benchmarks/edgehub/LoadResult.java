package io.edgeai4j.benchmarks.edgehub;

/**
 * What one load run measured.
 *
 * @param settings The run.
 * @param expected Messages sent, N × M.
 * @param unique Distinct messages received (each id once).
 * @param duplicates Receptions of an id already received.
 * @param sendFailures Sends the endpoint did not acknowledge.
 * @param seconds From the first send to the last reception.
 * @param p50Micros Median end-to-end latency (send call to receiver's handler), microseconds.
 * @param p95Micros 95th percentile.
 * @param p99Micros 99th percentile.
 * @param maxMicros Largest.
 */
public record LoadResult(LoadSettings settings, long expected, long unique, long duplicates, long sendFailures,
    double seconds, long p50Micros, long p95Micros, long p99Micros, long maxMicros) {

  /** Messages received once each per second. */
  public double throughput() {
    return seconds > 0 ? unique / seconds : 0;
  }

  /** Sent and not received. */
  public long lost() {
    return expected - unique;
  }

  /** Every message received exactly once and every send acknowledged. */
  public boolean exactlyOnce() {
    return unique == expected && duplicates == 0 && sendFailures == 0;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%s N=%d M=%d: %.0f msg/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, lost %d, duplicates %d,"
            + " send failures %d (%.2f s)",
        settings.mode().label(), settings.pairs(), settings.messages(), throughput(), p50Micros / 1000.0,
        p95Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0, lost(), duplicates, sendFailures, seconds);
  }
}
