package io.edgeai4j.signal;

/**
 * The shape of a window over a sample stream, in samples. Immutable; thread-safe.
 *
 * <p>A window holds {@code size} consecutive samples and the next window starts {@code hop} samples
 * after it: {@code hop == size} is a tumbling window (each sample in exactly one window), {@code hop < size}
 * a sliding window (consecutive windows overlap by {@code size - hop} samples).
 *
 * @param size Samples per window, in [{@value #MIN_SIZE}, {@value #MAX_SIZE}].
 * @param hop Samples from the start of one window to the start of the next, in [1, size].
 */
public record WindowSpec(int size, int hop) {
  /** The smallest window. */
  public static final int MIN_SIZE = 2;
  /** The largest window (2^20 samples, 8 MiB of doubles). */
  public static final int MAX_SIZE = 1 << 20;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException If size or hop is out of range; the message names the value.
   */
  public WindowSpec {
    checkSize(size);
    if (hop < 1 || hop > size) {
      throw new IllegalArgumentException("window hop must be in [1, size " + size + "] samples, found " + hop);
    }
  }

  /** A window of {@code size} samples with no overlap: {@code hop == size}. */
  public static WindowSpec tumbling(int size) {
    return new WindowSpec(size, size);
  }

  /** A window of {@code size} samples that starts every {@code hop} samples. */
  public static WindowSpec sliding(int size, int hop) {
    return new WindowSpec(size, hop);
  }

  /** Whether consecutive windows share no samples. */
  public boolean isTumbling() {
    return hop == size;
  }

  /** Samples shared by two consecutive windows: {@code size - hop}. */
  public int overlap() {
    return size - hop;
  }

  static void checkSize(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("window size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "] samples, found "
          + size);
    }
  }
}
