package io.edgeai4j.runtime.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The store of one endpoint: one FIFO per priority, served highest priority (lowest number) first, as
 * edgeHub's {@code <endpoint>_Pri<n>} stores are. Thread-safe.
 */
final class EndpointQueue {
  private final String endpointId;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeMap<Integer, ArrayDeque<QueuedMessage>> byPriority = new TreeMap<>();
  private boolean closed;

  EndpointQueue(String endpointId, Clock clock) {
    this.endpointId = endpointId;
    this.clock = clock;
  }

  String endpointId() {
    return endpointId;
  }

  void add(QueuedMessage message) {
    lock.lock();
    try {
      byPriority.computeIfAbsent(message.priority(), p -> new ArrayDeque<>()).addLast(message);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Puts an abandoned message back at the head of its priority. */
  void putBack(QueuedMessage message) {
    lock.lock();
    try {
      byPriority.computeIfAbsent(message.priority(), p -> new ArrayDeque<>()).addFirst(message);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next unexpired message of the best priority and removes it. Expired messages met on
   * the way are removed and given to {@code onExpired}.
   *
   * @return The message, or null when the wait timed out or the queue was closed.
   */
  QueuedMessage poll(Duration wait, Consumer<QueuedMessage> onExpired) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lock();
    try {
      while (!closed) {
        Instant now = clock.instant();
        for (Iterator<ArrayDeque<QueuedMessage>> it = byPriority.values().iterator(); it.hasNext(); ) {
          ArrayDeque<QueuedMessage> fifo = it.next();
          while (!fifo.isEmpty()) {
            QueuedMessage head = fifo.pollFirst();
            if (head.isExpired(now)) {
              onExpired.accept(head);
            } else {
              return head;
            }
          }
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes every expired message, giving each to {@code onExpired}. */
  void removeExpired(Consumer<QueuedMessage> onExpired) {
    lock.lock();
    try {
      Instant now = clock.instant();
      for (ArrayDeque<QueuedMessage> fifo : byPriority.values()) {
        fifo.removeIf(m -> {
          if (m.isExpired(now)) {
            onExpired.accept(m);
            return true;
          }
          return false;
        });
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a waiting {@link #poll} so that it re-checks (e.g. a consumer connected). */
  void wakeUp() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the queue changes or the time passes. */
  void awaitChange(Duration wait) throws InterruptedException {
    lock.lock();
    try {
      if (!closed) {
        changed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  Map<Integer, Integer> lengthsByPriority() {
    lock.lock();
    try {
      Map<Integer, Integer> lengths = new LinkedHashMap<>();
      byPriority.forEach((p, fifo) -> lengths.put(p, fifo.size()));
      return lengths;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return byPriority.values().stream().mapToInt(ArrayDeque::size).sum();
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
