package io.edgeai4j.azure.edgehub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread per key (an input name): tasks of one key run one at a time in submission order, tasks of
 * different keys run concurrently. Threads are made on first use. Thread-safe; {@link #shutdownNow()} stops all.
 */
final class SerialLanes {
  private final String threadPrefix;
  private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean shutDown;

  SerialLanes(String threadPrefix) {
    this.threadPrefix = threadPrefix;
  }

  /** Runs the task on the key's thread, after the tasks submitted before it for that key. */
  void submit(String key, Runnable task) {
    if (shutDown) {
      return;
    }
    try {
      lanes.computeIfAbsent(key, k -> Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, threadPrefix + k + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      })).execute(task);
    } catch (RejectedExecutionException e) {
      // Shut down meanwhile: the task is dropped, as queued ones are.
    }
  }

  /** Interrupts running tasks and drops queued ones; waits up to the given time for the threads to end. */
  void shutdownNow(long waitMillis) {
    shutDown = true;
    List<ExecutorService> all = new ArrayList<>(lanes.values());
    all.forEach(ExecutorService::shutdownNow);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    for (ExecutorService lane : all) {
      try {
        lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
