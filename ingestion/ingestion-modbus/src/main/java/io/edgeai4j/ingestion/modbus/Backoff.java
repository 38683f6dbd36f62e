package io.edgeai4j.ingestion.modbus;

import java.time.Duration;

/**
 * The delays between connection attempts: {@code first}, then doubling, never above {@code max};
 * {@link #reset()} after a success. Not thread-safe (the poll thread owns it).
 */
final class Backoff {
  /** The longest wait between two connection attempts. */
  static final Duration MAX = Duration.ofSeconds(30);
  /** The longest first wait. */
  static final Duration MAX_FIRST = Duration.ofSeconds(1);

  private final Duration first;
  private Duration next;

  /** Starts at the poll interval, or 1 s if that is longer. */
  static Backoff forPollInterval(Duration pollInterval) {
    return new Backoff(pollInterval.compareTo(MAX_FIRST) < 0 ? pollInterval : MAX_FIRST);
  }

  Backoff(Duration first) {
    this.first = first;
    this.next = first;
  }

  /** The delay before the next attempt; each call doubles the one after, up to {@link #MAX}. */
  Duration next() {
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    return delay;
  }

  /** Starts again from the first delay. */
  void reset() {
    next = first;
  }
}
