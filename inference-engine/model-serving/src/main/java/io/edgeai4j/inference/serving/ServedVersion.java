package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One READY model version: its {@link LoadedModel}, a bounded queue and {@code instances} worker threads that run
 * Triton-style dynamic batches. Counts accepted requests; after {@link #retire()} it accepts no more, runs those
 * accepted, then closes the model (never while a run is in flight) and stops its workers. Owns the model it was
 * given. Thread-safe.
 *
 * <p>With one instance, when a request could not be batched anyway (batching off: {@code maxBatchSize} 1 or
 * {@code maxQueueDelay} 0) and the queue is empty and the instance free, {@link #offer} runs it on the caller's
 * thread and completes its future there, before returning: no hand-off to a worker. Such a run is accounted as a
 * worker's is (accepted and drained before the model closes, metrics, one {@code busy} count under the lock that
 * bounds all runs, inline and workers', to {@code instances}).
 *
 * <p>With one instance and batching on, the request that brings the queue to {@code maxBatchSize} rows while the
 * instance is free takes the batch at the head of the queue and runs it on its caller's thread, completing every
 * request in it; batches released by their delay, or filled while the instance is busy, run on the workers. With more
 * instances a caller never runs a model: every run goes to the workers, so that runs overlap.
 *
 * <p>This class validates requests and describes the version; its parts do the rest: the {@link VersionScheduler}
 * (the version's lock, its states, queue and instance count), the {@link BatchRunner} (runs), the
 * {@link VersionWorkers} (worker threads) and the {@link VersionCloser} (closes the model once).
 */
final class ServedVersion {
  private final String model;
  private final long version;
  private final Path directory;
  private final ModelDescriptor descriptor;
  private final Duration loadTime;
  /** The golden check's result, for the READY status detail. */
  private final String golden;
  private final boolean batchable;
  /** The model's own inputs, checked as well when the model fixes a dimension the descriptor leaves open. */
  private final List<TensorSpec> modelInputs;
  private final int maxBatchSize;
  private final BatchRunner runner;
  private final VersionCloser closer;
  private final VersionScheduler scheduler;
  private final VersionWorkers workers;
  private final ServingMetrics.Series metrics;

  /**
   * Starts the workers of a loaded, warmed-up model; the state is READY.
   *
   * @param golden The golden check's result, e.g. {@code golden check passed (3 samples)}.
   */
  ServedVersion(String model, long version, Path directory, ModelDescriptor descriptor, LoadedModel loaded,
      Duration loadTime, String golden, ServingMetrics.Series metrics) {
    this.model = model;
    this.version = version;
    this.directory = directory;
    this.descriptor = descriptor;
    this.loadTime = loadTime;
    this.golden = golden;
    this.modelInputs = List.copyOf(loaded.inputs());
    // Stacking needs an open first dimension in the model itself, not only in model.json.
    this.batchable = descriptor.inputs().stream().allMatch(TensorSpec::batchable)
        && modelInputs.stream().allMatch(TensorSpec::batchable);
    ModelDescriptor.Batching b = descriptor.batching();
    this.maxBatchSize = batchable ? b.maxBatchSize() : 1;
    this.metrics = metrics;
    this.runner = new BatchRunner(model, version, loaded, metrics);
    this.closer = new VersionCloser(model, version, loaded, metrics);
    this.scheduler = new VersionScheduler(model, version, b, maxBatchSize, metrics, runner, closer);
    this.workers = new VersionWorkers(model, version, b.instances(), scheduler, runner);
    workers.start();
    metrics.claimState(VersionState.READY);
  }

  String model() {
    return model;
  }

  long version() {
    return version;
  }

  /** The version's directory in the repository. */
  Path directory() {
    return directory;
  }

  ModelDescriptor descriptor() {
    return descriptor;
  }

  /** Completes once the model is closed and every worker thread has ended. */
  CompletableFuture<Void> stopped() {
    return workers.stopped();
  }

  /** Waits for the worker threads to end (after {@link #stopped()}, they are about to). */
  void joinWorkers(Duration timeout) throws InterruptedException {
    workers.join(timeout);
  }

  VersionStatus status() {
    return scheduler.status(loadTime, golden);
  }

  /** Whether it still accepts requests. */
  boolean ready() {
    return scheduler.ready();
  }

  /**
   * Accepts a request unless retiring (returns false then, and the caller routes it elsewhere). An accepted request
   * always completes: with its result or an {@link InferenceFailure}. With one instance, batching off, an empty queue
   * and the instance free, the request runs here, on the caller's thread, and its future is complete when this
   * returns; otherwise it is queued for the workers.
   */
  boolean offer(InferenceRequest request, long acceptedNanos, CompletableFuture<InferenceResult> result) {
    // Counted pending from before anything else: an inline run completes (and counts its answer) within the offer.
    metrics.accepted();
    boolean taken = false;
    try {
      taken = admit(request, acceptedNanos, result);
      return taken;
    } finally {
      if (!taken) {
        metrics.refused();
      }
    }
  }

  private boolean admit(InferenceRequest request, long acceptedNanos, CompletableFuture<InferenceResult> result) {
    int rows;
    try {
      rows = TensorRows.validate(request.inputs(), descriptor.inputs(), batchable, maxBatchSize);
      if (!batchable) {
        TensorRows.validate(request.inputs(), modelInputs, false, 1);
      }
    } catch (InferenceFailure bad) {
      if (!scheduler.ready()) {
        return false;
      }
      runner.fail(result, bad, acceptedNanos);
      return true;
    }
    return scheduler.offer(request, rows, acceptedNanos, result);
  }

  /**
   * Stops accepting requests; those accepted still run, then the model is closed and the workers stop. Idempotent.
   */
  void retire() {
    scheduler.retire();
  }

  @Override
  public String toString() {
    return "model '" + model + "' version " + version;
  }
}
