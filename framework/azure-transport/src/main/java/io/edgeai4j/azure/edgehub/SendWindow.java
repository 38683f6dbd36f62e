package io.edgeai4j.azure.edgehub;

import java.util.concurrent.Semaphore;

/**
 * Bounds the sends waiting for their PUBACK: {@link #acquire()} blocks while {@code size} are in flight.
 * Thread-safe.
 */
final class SendWindow {
  private final int size;
  private final Semaphore permits;

  SendWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window size is " + size + ", expected at least 1");
    }
    this.size = size;
    this.permits = new Semaphore(size, true);
  }

  /** Takes a slot, waiting while the window is full. */
  void acquire() throws InterruptedException {
    permits.acquire();
  }

  /** Gives a slot back when a send completed or failed. */
  void release() {
    permits.release();
  }

  /** Returns how many sends are in flight now. */
  int inFlight() {
    return size - permits.availablePermits();
  }

  int size() {
    return size;
  }
}
