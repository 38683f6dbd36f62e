package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the batches of one {@link ServedVersion} on its {@link LoadedModel} and completes every request in them (and
 * fails requests), counting each outcome in the version's metrics. Owned by its ServedVersion; it does not close
 * the model (the {@link VersionCloser} does, never while a run is in flight). Thread-safe: it has only final
 * fields, the backend's {@code run} is thread-safe, and the {@link VersionScheduler} bounds concurrent runs to
 * {@code instances}.
 */
final class BatchRunner {
  /** Logs as {@link ServedVersion}, whose log lines these are. */
  private static final Logger LOG = LoggerFactory.getLogger(ServedVersion.class);

  private final String model;
  private final long version;
  private final LoadedModel loaded;
  private final ServingMetrics.Series metrics;

  BatchRunner(String model, long version, LoadedModel loaded, ServingMetrics.Series metrics) {
    this.model = model;
    this.version = version;
    this.loaded = loaded;
    this.metrics = metrics;
  }

  /**
   * Runs a batch and completes every request in it. Never throws: any {@link Throwable} (an {@code Error} such as
   * {@code OutOfMemoryError: Direct buffer memory} included) fails the requests, not the worker. A batch of several
   * requests that fails is run again request by request, so that a data-dependent failure (an index out of range)
   * fails only the request that causes it.
   */
  void run(List<PendingRequest> batch) {
    // Loops, not streams: with batching off this runs for every request.
    int totalRows = 0;
    List<Map<String, Tensor>> inputs = new ArrayList<>(batch.size());
    for (PendingRequest p : batch) {
      totalRows += p.rows();
      inputs.add(p.request().inputs());
    }
    long start = System.nanoTime();
    Map<String, Tensor> outputs;
    try {
      outputs = loaded.run(TensorRows.stack(inputs, totalRows));
    } catch (Throwable e) {
      if (batch.size() > 1) {
        LOG.debug("{}: a batch of {} requests failed ({}); running them one by one", this, batch.size(), e.toString());
        for (PendingRequest p : batch) {
          run(List.of(p));
        }
        return;
      }
      FailureKind kind = e instanceof InferenceException ie && ie.badInput() ? FailureKind.BAD_INPUT
          : FailureKind.MODEL_FAILED;
      if (e instanceof Error) {
        LOG.warn("{}: a run failed with {}", this, e.toString());
      }
      PendingRequest p = batch.get(0);
      fail(p.result(), new InferenceFailure(kind, "model '" + model + "' version " + version + ": the run of "
          + totalRows + (totalRows == 1 ? " row" : " rows") + " failed: " + describe(e), e), p.acceptedNanos());
      return;
    }
    // One clock read for the whole batch: every request in it is answered now, give or take the splitting.
    long end = System.nanoTime();
    long computeNanos = end - start;
    Duration compute = Duration.ofNanos(computeNanos);
    metrics.executed(totalRows, computeNanos);
    int from = 0;
    for (PendingRequest p : batch) {
      try {
        Map<String, Tensor> mine = batch.size() == 1 ? outputs : TensorRows.slice(outputs, totalRows, from, p.rows());
        long queueNanos = start - p.acceptedNanos();
        long totalNanos = end - p.acceptedNanos();
        metrics.succeeded(queueNanos, totalNanos);
        p.result().complete(new InferenceResult(model, version, mine, Duration.ofNanos(queueNanos), compute,
            Duration.ofNanos(totalNanos), totalRows));
      } catch (Throwable e) {
        fail(p.result(), new InferenceFailure(FailureKind.MODEL_FAILED, "model '" + model + "' version " + version
            + ": splitting the outputs failed: " + describe(e), e), p.acceptedNanos());
      }
      from += p.rows();
    }
  }

  /** A backend's own exceptions carry their message; anything else is named by its class too. */
  private static String describe(Throwable e) {
    return e instanceof InferenceException ? e.getMessage() : e.toString();
  }

  /** Fails an accepted request, counting the failure and its time since {@code acceptedNanos}. */
  void fail(CompletableFuture<InferenceResult> result, InferenceFailure failure, long acceptedNanos) {
    metrics.failed(failure.kind(), System.nanoTime() - acceptedNanos);
    result.completeExceptionally(failure);
  }

  @Override
  public String toString() {
    return "model '" + model + "' version " + version;
  }
}
