package io.edgeai4j.inference.tensorrt;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of per-worker objects (execution contexts) shared by the threads that run a model: {@link #acquire()}
 * waits until one is free, {@link #release} gives it back. Thread-safe.
 *
 * @param <T> The pooled type.
 */
final class ContextPool<T> {
  private final List<T> all;
  private final BlockingQueue<T> idle;

  ContextPool(List<T> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a context pool needs at least one context");
    }
    this.all = List.copyOf(items);
    this.idle = new ArrayBlockingQueue<>(all.size(), true, all);
  }

  /** Waits for a free item (fair: first come, first served). */
  T acquire() throws InterruptedException {
    return idle.take();
  }

  /** Gives back an item taken with {@link #acquire()}. */
  void release(T item) {
    if (!idle.offer(item)) {
      throw new IllegalStateException("released more contexts than the pool holds (" + all.size() + ")");
    }
  }

  /** Every item, free or not. */
  List<T> all() {
    return all;
  }

  /** Items free now. */
  int free() {
    return idle.size();
  }
}
