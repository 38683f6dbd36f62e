package io.edgeai4j.benchmarks.edgehub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Counts what the receivers got: which (sender, sequence) ids, how many twice, and the end-to-end latency of
 * each, read from the body {@code <sender>,<sequence>,<System.nanoTime() at send>,<padding>} (in the body, not
 * in application properties, since the SDK loses those on routed messages). Thread-safe: every receiver records
 * here.
 */
final class LoadTally {
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  private final BitSet[] seen;
  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
  private final AtomicLong unique = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile long lastReceivedNanos;

  LoadTally(int senders) {
    seen = new BitSet[senders];
    Arrays.setAll(seen, i -> new BitSet());
  }

  /** The body of message {@code sequence} of {@code sender}, sent now, padded to {@code size} bytes. */
  static byte[] body(int sender, int sequence, int size) {
    byte[] head = (sender + "," + sequence + "," + System.nanoTime() + ",").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[Math.max(size, head.length)];
    Arrays.fill(body, (byte) 'x');
    System.arraycopy(head, 0, body, 0, head.length);
    return body;
  }

  /** Records one reception. */
  void record(byte[] body) {
    long now = System.nanoTime();
    String text = new String(body, 0, Math.min(body.length, 64), StandardCharsets.US_ASCII);
    String[] parts = text.split(",", 4);
    int sender;
    int sequence;
    long sentAt;
    try {
      sender = Integer.parseInt(parts[0]);
      sequence = Integer.parseInt(parts[1]);
      sentAt = Long.parseLong(parts[2]);
    } catch (RuntimeException e) {
      malformed.incrementAndGet();
      return;
    }
    if (sender < 0 || sender >= seen.length) {
      malformed.incrementAndGet();
      return;
    }
    boolean first;
    synchronized (seen[sender]) {
      first = !seen[sender].get(sequence);
      seen[sender].set(sequence);
    }
    if (first) {
      unique.incrementAndGet();
      latencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - sentAt) / 1000)));
    } else {
      duplicates.incrementAndGet();
    }
    lastReceivedNanos = now;
  }

  long unique() {
    return unique.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  /** Bodies that were not a load message; a run with any is reported as failed. */
  long malformed() {
    return malformed.get();
  }

  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  /** The latency at a percentile, in microseconds. */
  long percentileMicros(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile);
  }

  long maxMicros() {
    return latencyMicros.getMaxValue();
  }
}
