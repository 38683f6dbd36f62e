package io.edgeai4j.buffer;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a {@link DiskBuffer} forces its writes to the storage device ({@code FileChannel.force}, fsync). Every
 * append and remove reaches the operating system before it returns whatever the policy, so a crash of the process
 * loses nothing; the policy bounds what a power loss (or a kernel crash) can lose. Immutable; thread-safe.
 *
 * @param mode When to force.
 * @param interval For {@link Mode#INTERVAL}: the longest a write stays unforced; {@link Duration#ZERO} otherwise.
 */
public record FsyncPolicy(Mode mode, Duration interval) {
  /** The default interval: at most one second of appends and removes at risk of a power loss. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** The longest interval accepted. */
  public static final Duration MAX_INTERVAL = Duration.ofHours(1);
  /** The default: {@link Mode#INTERVAL} every {@link #DEFAULT_INTERVAL}. */
  public static final FsyncPolicy DEFAULT = interval(DEFAULT_INTERVAL);

  /** When to force. */
  public enum Mode {
    /** Every append and remove is forced before it returns: a power loss loses nothing, at one fsync per call. */
    ALWAYS,
    /**
     * A background thread forces what was written once every {@code interval} while writes are unforced: a power
     * loss may lose the appends and bring back the removes of the last interval.
     */
    INTERVAL,
    /** Forced only when a segment fills up and on close; in between the operating system writes back when it likes. */
    NEVER
  }

  /** @throws IllegalArgumentException If an {@code INTERVAL} interval is not 1 ms to 1 h, naming what was found. */
  public FsyncPolicy {
    Objects.requireNonNull(mode, "mode");
    if (mode != Mode.INTERVAL) {
      interval = Duration.ZERO;
    } else if (interval == null || interval.compareTo(Duration.ofMillis(1)) < 0
        || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new IllegalArgumentException("fsync interval must be 1 ms to 1 h, found " + interval);
    }
  }

  /** Forces every append and remove before it returns. */
  public static FsyncPolicy always() {
    return new FsyncPolicy(Mode.ALWAYS, null);
  }

  /** Forces once every {@code interval} while writes are unforced, from a background thread. */
  public static FsyncPolicy interval(Duration interval) {
    return new FsyncPolicy(Mode.INTERVAL, interval);
  }

  /** Forces only on segment roll and close. */
  public static FsyncPolicy never() {
    return new FsyncPolicy(Mode.NEVER, null);
  }

  @Override
  public String toString() {
    String name = mode.name().toLowerCase(Locale.ROOT);
    return mode == Mode.INTERVAL ? name + " " + interval.toMillis() + " ms" : name;
  }
}
