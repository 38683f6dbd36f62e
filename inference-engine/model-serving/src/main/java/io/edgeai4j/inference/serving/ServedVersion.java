package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One READY model version: its {@link LoadedModel}, a bounded queue and {@code instances} worker threads that run
 * Triton-style dynamic batches. Counts accepted requests; after {@link #retire()} it accepts no more, runs those
 * accepted, then closes the model (never while a run is in flight) and stops its workers. Owns the model it was
 * given. Thread-safe.
 *
 * <p>When a request could not be batched anyway (batching off: {@code maxBatchSize} 1 or {@code maxQueueDelay} 0),
 * the queue is empty and fewer than {@code instances} runs are in progress, {@link #offer} runs it on the caller's
 * thread and completes its future there, before returning: no hand-off to a worker. Such a run is accounted as a
 * worker's is (accepted and drained before the model closes, metrics, one {@code busy} count under the lock that
 * bounds all runs, inline and workers', to {@code instances}).
 *
 * <p>With batching on, the request that brings the queue to {@code maxBatchSize} rows while an instance is free takes
 * the batch at the head of the queue and runs it on its caller's thread, completing every request in it; batches
 * released by their delay, or filled while every instance is busy, run on the workers.
 */
final class ServedVersion {
  private static final Logger LOG = LoggerFactory.getLogger(ServedVersion.class);

  private final String model;
  private final long version;
  private final java.nio.file.Path directory;
  private final ModelDescriptor descriptor;
  private final LoadedModel loaded;
  private final ServingMetrics.Series metrics;
  private final Duration loadTime;
  /** The golden check's result, for the READY status detail. */
  private final String golden;
  private final boolean batchable;
  /** The model's own inputs, checked as well when the model fixes a dimension the descriptor leaves open. */
  private final List<TensorSpec> modelInputs;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final long timeoutNanos;
  private final int maxQueueSize;
  private final int instances;
  /** Whether a request may run on the caller's thread: nothing would be gained by waiting for others. */
  private final boolean inlineAllowed;
  private final List<Thread> workers = new ArrayList<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long queuedRows;
  private int accepted;
  /** Runs in progress, on workers and on callers' threads; never more than {@link #instances}. */
  private int busy;
  private boolean retiring;

  /** A request waiting in the queue. */
  private record Pending(InferenceRequest request, int rows, long acceptedNanos,
      CompletableFuture<InferenceResult> result) {}

  /**
   * Starts the workers of a loaded, warmed-up model; the state is READY.
   *
   * @param golden The golden check's result, e.g. {@code golden check passed (3 samples)}.
   */
  ServedVersion(String model, long version, java.nio.file.Path directory, ModelDescriptor descriptor,
      LoadedModel loaded, Duration loadTime, String golden, ServingMetrics.Series metrics) {
    this.model = model;
    this.version = version;
    this.directory = directory;
    this.descriptor = descriptor;
    this.loaded = loaded;
    this.loadTime = loadTime;
    this.golden = golden;
    this.metrics = metrics;
    this.modelInputs = List.copyOf(loaded.inputs());
    // Stacking needs an open first dimension in the model itself, not only in model.json.
    this.batchable = descriptor.inputs().stream().allMatch(TensorSpec::batchable)
        && modelInputs.stream().allMatch(TensorSpec::batchable);
    ModelDescriptor.Batching b = descriptor.batching();
    this.maxBatchSize = batchable ? b.maxBatchSize() : 1;
    this.maxDelayNanos = b.maxQueueDelay().toNanos();
    this.timeoutNanos = b.requestTimeout().toNanos();
    this.maxQueueSize = b.maxQueueSize();
    this.instances = b.instances();
    this.inlineAllowed = maxBatchSize == 1 || maxDelayNanos == 0;
    for (int i = 0; i < b.instances(); i++) {
      Thread t = new Thread(this::work, "serving-" + model + "-v" + version + "-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    running.set(workers.size());
    workers.forEach(Thread::start);
    metrics.claimState(VersionState.READY);
  }

  String model() {
    return model;
  }

  long version() {
    return version;
  }

  /** The version's directory in the repository. */
  java.nio.file.Path directory() {
    return directory;
  }

  ModelDescriptor descriptor() {
    return descriptor;
  }

  /** Completes once the model is closed. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  /** Completes once the model is closed and every worker thread has ended. */
  CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Waits for the worker threads to end (after {@link #stopped()}, they are about to). */
  void joinWorkers(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      if (t != Thread.currentThread()) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
  }

  VersionStatus status() {
    lock.lock();
    try {
      if (closed.isDone()) {
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
   * Accepts a request unless retiring (returns false then, and the caller routes it elsewhere). An accepted request
   * always completes: with its result or an {@link InferenceFailure}. With batching off, an empty queue and an
   * instance free, the request runs here, on the caller's thread, and its future is complete when this returns;
   * otherwise it is queued for the workers.
   */
  boolean offer(InferenceRequest request, long acceptedNanos, CompletableFuture<InferenceResult> result) {
    int rows;
    try {
      rows = TensorRows.validate(request.inputs(), descriptor.inputs(), batchable, maxBatchSize);
      if (!batchable) {
        TensorRows.validate(request.inputs(), modelInputs, false, 1);
      }
    } catch (InferenceFailure bad) {
      lock.lock();
      try {
        if (retiring) {
          return false;
        }
      } finally {
        lock.unlock();
      }
      fail(result, bad, acceptedNanos);
      return true;
    }
    InferenceFailure full = null;
    boolean runHere = false;
    List<Pending> fullBatch = null;
    lock.lock();
    try {
      if (retiring) {
        return false;
      }
      if (inlineAllowed && queue.isEmpty() && busy < instances) {
        accepted++;
        busy++;
        runHere = true;
      } else if (queue.size() >= maxQueueSize) {
        full = new InferenceFailure(FailureKind.QUEUE_FULL, "model '" + model + "' version " + version
            + ": the queue holds batching.maxQueueSize " + maxQueueSize + " requests", null);
      } else {
        boolean wasEmpty = queue.isEmpty();
        queue.addLast(new Pending(request, rows, acceptedNanos, result));
        queuedRows += rows;
        accepted++;
        if (queuedRows >= maxBatchSize && busy < instances
            && acceptedNanos - queue.peekFirst().acceptedNanos <= timeoutNanos) {
          // A full batch, a free instance and no expired request at the head (the workers fail those): the thread
          // that filled it runs it (no hand-off to a worker, which would only wake up to do the same).
          busy++;
          fullBatch = form();
        } else if (wasEmpty || queuedRows >= maxBatchSize) {
          // Workers wait without a deadline only on an empty queue; otherwise they wake when the oldest request's
          // delay is up. So wake them only when they must act now: on the first request, or on a full batch.
          changed.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (fullBatch != null) {
      try {
        run(fullBatch);
      } finally {
        release(fullBatch.size(), 1);
      }
    } else if (full != null) {
      fail(result, full, acceptedNanos);
    } else if (runHere) {
      try {
        run(List.of(new Pending(request, rows, acceptedNanos, result)));
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
      if (!retiring || accepted > 0 || closed.isDone()) {
        return;
      }
    } finally {
      lock.unlock();
    }
    synchronized (closed) {
      if (closed.isDone()) {
        return;
      }
      try {
        loaded.close();
      } catch (RuntimeException e) {
        LOG.warn("model '{}' version {}: closing the model failed", model, version, e);
      }
      metrics.state(VersionState.UNLOADED);
      LOG.info("model '{}' version {} unloaded", model, version);
      closed.complete(null);
    }
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    try {
      while (true) {
        List<Pending> expired = new ArrayList<>();
        List<Pending> batch = take(expired);
        for (Pending p : expired) {
          fail(p.result, new InferenceFailure(FailureKind.TIMEOUT, "model '" + model + "' version " + version
              + ": the request waited " + Duration.ofNanos(System.nanoTime() - p.acceptedNanos).toMillis()
              + " ms in the queue, more than batching.requestTimeoutMillis "
              + Duration.ofNanos(timeoutNanos).toMillis(), null), p.acceptedNanos);
        }
        release(expired.size(), 0);
        if (batch == null) {
          return;
        }
        if (!batch.isEmpty()) {
          try {
            run(batch);
          } finally {
            release(batch.size(), 1);
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

  /** Ends {@code requests} accepted requests and {@code runs} runs (0 or 1); may close a retired version. */
  private void release(int requests, int runs) {
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
   * version is retiring, and fewer than {@code instances} runs are in progress (then counts one more). Removes
   * expired requests into {@code expired}. Null when the worker should stop.
   */
  private List<Pending> take(List<Pending> expired) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        while (!queue.isEmpty() && now - queue.peekFirst().acceptedNanos > timeoutNanos) {
          Pending p = queue.removeFirst();
          queuedRows -= p.rows;
          expired.add(p);
        }
        if (!expired.isEmpty()) {
          return List.of();
        }
        if (queue.isEmpty()) {
          if (closed.isDone()) {
            return null;
          }
          changed.await();
          continue;
        }
        if (busy >= instances) {
          // Runs on callers' threads hold every instance: wait for one to end, or for the oldest to expire.
          changed.awaitNanos(queue.peekFirst().acceptedNanos + timeoutNanos + 1 - now);
          continue;
        }
        long due = queue.peekFirst().acceptedNanos + maxDelayNanos;
        if (queuedRows >= maxBatchSize || now - due >= 0 || retiring) {
          busy++;
          return form();
        }
        changed.awaitNanos(due - now);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<Pending> form() {
    List<Pending> batch = new ArrayList<>();
    int rows = 0;
    while (!queue.isEmpty()) {
      Pending next = queue.peekFirst();
      if (!batch.isEmpty() && (rows + next.rows > maxBatchSize
          || !TensorRows.stackable(batch.get(0).request.inputs(), next.request.inputs()))) {
        break;
      }
      queue.removeFirst();
      queuedRows -= next.rows;
      rows += next.rows;
      batch.add(next);
    }
    return batch;
  }

  /**
   * Runs a batch and completes every request in it. Never throws: any {@link Throwable} (an {@code Error} such as
   * {@code OutOfMemoryError: Direct buffer memory} included) fails the requests, not the worker. A batch of several
   * requests that fails is run again request by request, so that a data-dependent failure (an index out of range)
   * fails only the request that causes it.
   */
  private void run(List<Pending> batch) {
    // Loops, not streams: with batching off this runs for every request.
    int totalRows = 0;
    List<Map<String, Tensor>> inputs = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      totalRows += p.rows;
      inputs.add(p.request.inputs());
    }
    long start = System.nanoTime();
    Map<String, Tensor> outputs;
    try {
      outputs = loaded.run(TensorRows.stack(inputs, totalRows));
    } catch (Throwable e) {
      if (batch.size() > 1) {
        LOG.debug("{}: a batch of {} requests failed ({}); running them one by one", this, batch.size(), e.toString());
        for (Pending p : batch) {
          run(List.of(p));
        }
        return;
      }
      FailureKind kind = e instanceof InferenceException ie && ie.badInput() ? FailureKind.BAD_INPUT
          : FailureKind.MODEL_FAILED;
      if (e instanceof Error) {
        LOG.warn("{}: a run failed with {}", this, e.toString());
      }
      Pending p = batch.get(0);
      fail(p.result, new InferenceFailure(kind, "model '" + model + "' version " + version + ": the run of "
          + totalRows + (totalRows == 1 ? " row" : " rows") + " failed: " + describe(e), e), p.acceptedNanos);
      return;
    }
    long end = System.nanoTime();
    Duration compute = Duration.ofNanos(end - start);
    metrics.executed(totalRows, compute);
    int from = 0;
    for (Pending p : batch) {
      try {
        Map<String, Tensor> mine = batch.size() == 1 ? outputs : TensorRows.slice(outputs, totalRows, from, p.rows);
        Duration queueTime = Duration.ofNanos(start - p.acceptedNanos);
        Duration total = Duration.ofNanos(System.nanoTime() - p.acceptedNanos);
        metrics.succeeded(queueTime, total);
        p.result.complete(new InferenceResult(model, version, mine, queueTime, compute, total, totalRows));
      } catch (Throwable e) {
        fail(p.result, new InferenceFailure(FailureKind.MODEL_FAILED, "model '" + model + "' version " + version
            + ": splitting the outputs failed: " + describe(e), e), p.acceptedNanos);
      }
      from += p.rows;
    }
  }

  /** A backend's own exceptions carry their message; anything else is named by its class too. */
  private static String describe(Throwable e) {
    return e instanceof InferenceException ? e.getMessage() : e.toString();
  }

  private void fail(CompletableFuture<InferenceResult> result, InferenceFailure failure, long acceptedNanos) {
    metrics.failed(failure.kind(), Duration.ofNanos(System.nanoTime() - acceptedNanos));
    result.completeExceptionally(failure);
  }

  @Override
  public String toString() {
    return "model '" + model + "' version " + version;
  }
}
