package io.edgeai4j.signal;

/** Receives each complete window from a {@link SlidingWindow}, on the thread that called {@code add}. */
@FunctionalInterface
public interface WindowConsumer {
  /**
   * Called for one complete window.
   *
   * @param window The window's samples, oldest first, {@code spec().size()} of them. The array is a buffer
   *     that the window reuses for the next call: copy it to keep it. Changing it does not affect later
   *     windows.
   * @param endOffset The index, within the values passed to the {@code add} call that completed this
   *     window, of the window's last sample ({@code 0} for {@link SlidingWindow#add(double, WindowConsumer)}).
   */
  void accept(double[] window, int endOffset);
}
