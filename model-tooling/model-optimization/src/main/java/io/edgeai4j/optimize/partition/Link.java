package io.edgeai4j.optimize.partition;

import java.time.Duration;
import java.util.Objects;

/**
 * A link between two adjacent tiers as the planner sees it: bandwidth and one-way latency (the CLI parses the text form
 * with local-runtime's {@code LinkSpec} and passes the values). Immutable.
 *
 * @param name e.g. {@code device-edge}
 */
public record Link(String name, long bitsPerSecond, Duration latency) {
  /** Validates the fields. */
  public Link {
    Objects.requireNonNull(name, "name");
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("link " + name + ": bandwidth must be > 0 bit/s, found " + bitsPerSecond);
    }
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("link " + name + ": latency must be >= 0, found " + latency);
    }
  }

  /** Microseconds to put {@code bytes} on the wire (no latency). */
  public double wireMicros(long bytes) {
    return bytes * 8.0 * 1e6 / bitsPerSecond;
  }

  /** The one-way latency in microseconds. */
  public double latencyMicros() {
    return latency.toNanos() / 1e3;
  }
}
