package io.edgeai4j.inference.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one {@link ServedVersion}, {@code instances} of them: each takes the next batch from the
 * {@link VersionScheduler}, fails TIMEOUT the requests that waited too long, and runs the batch, until the version
 * is closed with an empty queue. Owned and started once by its ServedVersion; the threads end by themselves.
 * Thread-safe: the thread list is fixed before they start, and the count of those still running is atomic.
 */
final class VersionWorkers {
  private final String model;
  private final long version;
  private final VersionScheduler scheduler;
  private final BatchRunner runner;
  private final long timeoutNanos;
  private final List<Thread> workers = new ArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicInteger running = new AtomicInteger();

  /** Creates the threads; {@link #start()} starts them. */
  VersionWorkers(String model, long version, int instances, VersionScheduler scheduler, BatchRunner runner) {
    this.model = model;
    this.version = version;
    this.scheduler = scheduler;
    this.runner = runner;
    this.timeoutNanos = scheduler.timeoutNanos();
    for (int i = 0; i < instances; i++) {
      Thread t = new Thread(this::work, "serving-" + model + "-v" + version + "-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
  }

  void start() {
    running.set(workers.size());
    workers.forEach(Thread::start);
  }

  /** Completes once every worker thread has ended (after the model is closed). */
  CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Waits for the worker threads to end (after {@link #stopped()}, they are about to). */
  void join(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      if (t != Thread.currentThread()) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
  }

  private void work() {
    try {
      while (true) {
        List<PendingRequest> expired = new ArrayList<>();
        List<PendingRequest> batch = scheduler.take(expired);
        for (PendingRequest p : expired) {
          runner.fail(p.result(), new InferenceFailure(FailureKind.TIMEOUT, "model '" + model + "' version " + version
              + ": the request waited " + Duration.ofNanos(System.nanoTime() - p.acceptedNanos()).toMillis()
              + " ms in the queue, more than batching.requestTimeoutMillis "
              + Duration.ofNanos(timeoutNanos).toMillis(), null), p.acceptedNanos());
        }
        scheduler.release(expired.size(), 0);
        if (batch == null) {
          return;
        }
        if (!batch.isEmpty()) {
          try {
            runner.run(batch);
          } finally {
            scheduler.release(batch.size(), 1);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (running.decrementAndGet() == 0) {
        stopped.complete(null);
      }
    }
  }
}
