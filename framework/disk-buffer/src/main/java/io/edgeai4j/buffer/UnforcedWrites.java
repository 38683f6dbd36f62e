package io.edgeai4j.buffer;

import java.time.Duration;

/**
 * What a {@link DiskBuffer} has written and not yet forced to the device: which files (the tail segment, the read
 * position, the directory's entries), how many record bytes, since when; and the totals forced. A force that runs
 * outside the buffer's lock takes a {@link #begin() snapshot} and, once it has {@link #succeeded}, counts as forced
 * only what the snapshot held: writes that came meanwhile stay unforced. Not thread-safe: the buffer's lock guards
 * it.
 */
final class UnforcedWrites {
  /** The file a write went to. */
  enum Target { DATA, POSITION, DIRECTORY }

  /** What a force started with. */
  record Snapshot(boolean data, boolean position, boolean directory, long bytes) {}

  private boolean data;
  private boolean position;
  private boolean directory;
  private long bytes;
  private long sinceNanos;
  private long forcedBytes;
  private long forces;
  private boolean forcing;
  private long writesWhileForcing;
  private long firstWriteWhileForcingNanos;

  /** Counts a write of {@code recordBytes} (0 for a read position or a directory entry) to {@code target}. */
  void note(Target target, long recordBytes) {
    long now = System.nanoTime();
    if (!any()) {
      sinceNanos = now;
    }
    if (forcing && writesWhileForcing++ == 0) {
      firstWriteWhileForcingNanos = now;
    }
    bytes += recordBytes;
    switch (target) {
      case DATA -> data = true;
      case POSITION -> position = true;
      case DIRECTORY -> directory = true;
    }
  }

  /** Counts a write forced before it returned ({@link FsyncPolicy.Mode#ALWAYS}). */
  void forcedAtOnce(long recordBytes) {
    forcedBytes += recordBytes;
    forces++;
  }

  boolean any() {
    return data || position || directory;
  }

  /** Starts a force that runs outside the lock; null when nothing is unforced. */
  Snapshot begin() {
    if (!any()) {
      return null;
    }
    forcing = true;
    writesWhileForcing = 0;
    return new Snapshot(data, position, directory, bytes);
  }

  /** The force of {@code snapshot} reached the device. */
  void succeeded(Snapshot snapshot) {
    forcing = false;
    forcedBytes += snapshot.bytes();
    forces++;
    if (writesWhileForcing == 0) {
      clear();
    } else { // what came meanwhile stays unforced, and the marks stay so the next force covers it
      bytes -= snapshot.bytes();
      sinceNanos = firstWriteWhileForcingNanos;
    }
  }

  /** The force failed: everything stays unforced. */
  void failed() {
    forcing = false;
  }

  /** Everything was forced under the lock (close). */
  void forcedAll() {
    forcedBytes += bytes;
    forces++;
    clear();
  }

  long bytes() {
    return bytes;
  }

  Duration age() {
    return any() ? Duration.ofNanos(System.nanoTime() - sinceNanos) : Duration.ZERO;
  }

  long forcedBytes() {
    return forcedBytes;
  }

  long forces() {
    return forces;
  }

  private void clear() {
    data = false;
    position = false;
    directory = false;
    bytes = 0;
  }
}
