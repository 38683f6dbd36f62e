package io.edgeai4j.signal;

import java.util.Objects;

/**
 * Cuts one sensor's sample stream into windows of {@link WindowSpec#size()} samples, one every
 * {@link WindowSpec#hop()} samples: the first window ends at the stream's sample {@code size - 1}, the next
 * at {@code size - 1 + hop}, and so on. However the stream is split into {@code add} calls, the windows are
 * the same as slicing the whole stream.
 *
 * <p>Holds {@code 2 * size} doubles and allocates nothing after construction. Not thread-safe: use one per
 * sensor, from one thread at a time. Owns no resources; nothing to close.
 */
public final class SlidingWindow {
  private final WindowSpec spec;
  private final double[] ring;
  private final double[] window;
  private int writeIndex;
  private int untilNextWindow;

  /** Creates an empty window cutter. */
  public SlidingWindow(WindowSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.ring = new double[spec.size()];
    this.window = new double[spec.size()];
    this.untilNextWindow = spec.size();
  }

  /** The window shape. */
  public WindowSpec spec() {
    return spec;
  }

  /**
   * Appends {@code values[from..to)} to the stream and calls {@code consumer} for every window they complete,
   * in order, before returning. If the consumer throws, the exception propagates and the values after the
   * completed window's last sample are not appended.
   *
   * @throws IndexOutOfBoundsException If {@code from..to} is not a range within {@code values}.
   */
  public void add(double[] values, int from, int to, WindowConsumer consumer) {
    Objects.checkFromToIndex(from, to, values.length);
    Objects.requireNonNull(consumer, "consumer");
    int next = from;
    while (next < to) {
      int count = Math.min(untilNextWindow, to - next);
      append(values, next, count);
      next += count;
      untilNextWindow -= count;
      if (untilNextWindow == 0) {
        emit(consumer, next - 1);
      }
    }
  }

  /** Appends one sample and calls {@code consumer} if it completes a window (with {@code endOffset} 0). */
  public void add(double value, WindowConsumer consumer) {
    Objects.requireNonNull(consumer, "consumer");
    ring[writeIndex] = value;
    writeIndex = writeIndex + 1 == ring.length ? 0 : writeIndex + 1;
    if (--untilNextWindow == 0) {
      emit(consumer, 0);
    }
  }

  /**
   * The samples received that the next window will contain, in [0, size - 1]: what a reconfiguration or a
   * {@link #reset()} discards.
   */
  public int pending() {
    return spec.size() - untilNextWindow;
  }

  /** Discards the pending samples: the next window starts with the next sample added. */
  public void reset() {
    writeIndex = 0;
    untilNextWindow = spec.size();
  }

  private void append(double[] values, int from, int count) {
    int first = Math.min(count, ring.length - writeIndex);
    System.arraycopy(values, from, ring, writeIndex, first);
    System.arraycopy(values, from + first, ring, 0, count - first);
    writeIndex = (writeIndex + count) % ring.length;
  }

  /** The ring is full here and its oldest sample sits at {@code writeIndex}. */
  private void emit(WindowConsumer consumer, int endOffset) {
    int oldest = ring.length - writeIndex;
    System.arraycopy(ring, writeIndex, window, 0, oldest);
    System.arraycopy(ring, 0, window, oldest, writeIndex);
    untilNextWindow = spec.hop();
    consumer.accept(window, endOffset);
  }

  @Override
  public String toString() {
    return "SlidingWindow[size=" + spec.size() + ", hop=" + spec.hop() + ", pending=" + pending() + "]";
  }
}
