package io.edgeai4j.inference.serving;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lock of a {@link ServedVersion} and the state it guards: whether the version is retiring, the requests it
 * accepted that are not complete yet, the runs in progress (on workers and callers' threads together, never more
 * than {@code instances}) and its {@link RequestQueue}. Decides what becomes of each request ({@link #offer}),
 * hands batches to the workers ({@link #take}), and has the {@link VersionCloser} close the model once a retiring
 * version has no accepted request left. These live together because every decision reads several of them at once.
 *
 * <p>Owned by its ServedVersion. Thread-safe: every field it guards is read and written only under its lock; runs
 * and the model's close happen outside it.
 */
final class VersionScheduler {
  /** Logs as {@link ServedVersion}, whose log lines these are. */
  private static final Logger LOG = LoggerFactory.getLogger(ServedVersion.class);

  private final String model;
  private final long version;
  private final ServingMetrics.Series metrics;
  private final BatchRunner runner;
  private final VersionCloser closer;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final long timeoutNanos;
  private final int maxQueueSize;
  private final int instances;
  /** Whether a request may run on the caller's thread: nothing would be gained by waiting for others. */
  private final boolean inlineAllowed;
  /**
   * Whether a caller's thread may run a model at all (a lone request with batching off, or the full batch it
   * completes): only with one instance. With more, the caller (the module's input thread) hands every run to the
   * workers and goes on reading input, so that {@code instances} runs can be in progress at once.
   */
  private final boolean callerRuns;
  /** Adaptive batching: a worker that finds no run in progress takes what is queued without waiting for company. */
  private final boolean adaptive;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final RequestQueue queue;
  private int accepted;
  /** Runs in progress, on workers and on callers' threads; never more than {@link #instances}. */
  private int busy;
  private boolean retiring;

  /** Takes its limits from {@code b}, but {@code maxBatchSize}: the descriptor's, or 1 when the model cannot batch. */
  VersionScheduler(String model, long version, ModelDescriptor.Batching b, int maxBatchSize,
      ServingMetrics.Series metrics, BatchRunner runner, VersionCloser closer) {
    this.model = model;
    this.version = version;
    this.metrics = metrics;
    this.runner = runner;
    this.closer = closer;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayNanos = b.maxQueueDelay().toNanos();
    this.timeoutNanos = b.requestTimeout().toNanos();
    this.maxQueueSize = b.maxQueueSize();
    this.instances = b.instances();
    this.inlineAllowed = maxBatchSize == 1 || maxDelayNanos == 0;
    this.callerRuns = instances == 1;
    this.adaptive = b.adaptive();
    this.queue = new RequestQueue(maxBatchSize);
  }

  /** How long a request may wait in the queue ({@code batching.requestTimeoutMillis}). */
  long timeoutNanos() {
    return timeoutNanos;
  }

  VersionStatus status(Duration loadTime, String golden) {
    lock.lock();
    try {
      if (closer.isClosed()) {
        return new VersionStatus(version, VersionState.UNLOADED, "unloaded", loadTime);
      }
      if (retiring) {
        return new VersionStatus(version, VersionState.DRAINING, accepted + " requests in flight", loadTime);
      }
      return new VersionStatus(version, VersionState.READY, "serving; " + golden, loadTime);
    } finally {
      lock.unlock();
    }
  }

  /** Whether it still accepts requests. */
  boolean ready() {
    lock.lock();
    try {
      return !retiring;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Accepts a validated request of {@code rows} rows unless retiring (returns false then). With one instance, runs it
   * here when it may run inline; else queues it, and (one instance) runs here the full batch it completes when the
   * instance is free and the batch's oldest request has not timed out; or fails it QUEUE_FULL.
   */
  boolean offer(InferenceRequest request, int rows, long acceptedNanos, CompletableFuture<InferenceResult> result) {
    InferenceFailure full = null;
    boolean runHere = false;
    List<PendingRequest> fullBatch = null;
    lock.lock();
    try {
      if (retiring) {
        return false;
      }
      if (callerRuns && inlineAllowed && queue.isEmpty() && busy < instances) {
        accepted++;
        busy++;
        runHere = true;
      } else if (queue.size() >= maxQueueSize) {
        full = new InferenceFailure(FailureKind.QUEUE_FULL, "model '" + model + "' version " + version
            + ": the queue holds batching.maxQueueSize " + maxQueueSize + " requests", null);
      } else {
        boolean wasEmpty = queue.isEmpty();
        queue.add(new PendingRequest(request, rows, acceptedNanos, result));
        accepted++;
        if (callerRuns && queue.rows() >= maxBatchSize && busy < instances
            && acceptedNanos - queue.oldest().acceptedNanos() <= timeoutNanos) {
          // A full batch, a free instance and no expired request at the head (the workers fail those): the thread
          // that filled it runs it (no hand-off to a worker, which would only wake up to do the same).
          busy++;
          fullBatch = queue.form();
        } else if (wasEmpty || queue.rows() >= maxBatchSize || (adaptive && busy == 0)) {
          // Workers wait without a deadline only on an empty queue; otherwise they wake when the oldest request's
          // delay is up. So wake them only when they must act now: on the first request, on a full batch, or (adaptive)
          // when no run is in progress to gather company behind.
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (fullBatch != null) {
      try {
        runner.run(fullBatch);
      } finally {
        release(fullBatch.size(), 1);
      }
    } else if (full != null) {
      runner.fail(result, full, acceptedNanos);
    } else if (runHere) {
      try {
        runner.run(List.of(new PendingRequest(request, rows, acceptedNanos, result)));
      } finally {
        release(1, 1);
      }
    }
    return true;
  }

  /**
   * Stops accepting requests; those accepted still run, then the model is closed and the workers stop. Idempotent.
   */
  void retire() {
    lock.lock();
    try {
      if (retiring) {
        return;
      }
      // DRAINING is written before retiring is set: once it is set, the last run ending on any thread may close
      // the version and write UNLOADED, which a later DRAINING must not overwrite.
      metrics.state(VersionState.DRAINING);
      retiring = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.info("model '{}' version {} draining", model, version);
    maybeClose();
  }

  private void maybeClose() {
    lock.lock();
    try {
      if (!retiring || accepted > 0 || closer.isClosed()) {
        return;
      }
    } finally {
      lock.unlock();
    }
    if (!closer.close()) {
      return;
    }
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Ends {@code requests} accepted requests and {@code runs} runs (0 or 1); may close a retired version. */
  void release(int requests, int runs) {
    if (requests == 0 && runs == 0) {
      return;
    }
    lock.lock();
    try {
      accepted -= requests;
      busy -= runs;
      if (runs > 0 && !queue.isEmpty()) {
        // A worker may be waiting for an instance to be free.
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    maybeClose();
  }

  /**
   * Waits for the next batch: when maxBatchSize rows wait, or the oldest request has waited maxQueueDelay, or the
   * version is retiring, or (adaptive) no run is in progress, and fewer than {@code instances} runs are in progress
   * (then counts one more). Removes
   * expired requests into {@code expired}. Null when the worker should stop.
   */
  List<PendingRequest> take(List<PendingRequest> expired) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        queue.removeExpired(now, timeoutNanos, expired);
        if (!expired.isEmpty()) {
          return List.of();
        }
        if (queue.isEmpty()) {
          if (closer.isClosed()) {
            return null;
          }
          changed.await();
          continue;
        }
        if (busy >= instances) {
          // Runs on callers' threads hold every instance: wait for one to end, or for the oldest to expire.
          changed.awaitNanos(queue.oldest().acceptedNanos() + timeoutNanos + 1 - now);
          continue;
        }
        long due = queue.oldest().acceptedNanos() + maxDelayNanos;
        // Adaptive: with no run in progress nothing more is likely to gather behind one, so waiting would only add
        // the delay to a lone request; requests that arrive while runs are in progress still gather into batches.
        if (queue.rows() >= maxBatchSize || now - due >= 0 || retiring || (adaptive && busy == 0)) {
          busy++;
          return queue.form();
        }
        changed.awaitNanos(due - now);
      }
    } finally {
      lock.unlock();
    }
  }
}
