package io.edgeai4j.cli.model.perf;

import io.edgeai4j.nativebindings.perf.Distribution;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures of one concurrency level. Immutable. Times in microseconds.
 *
 * @param concurrency Requests outstanding at all times.
 * @param requests Requests completed in the measured window (one row each).
 * @param throughput Requests completed per second.
 * @param meanInFlight Requests outstanding on average over the measured window (each request's submit-to-completion
 *     interval clipped to the window, summed, divided by the window): {@code concurrency} less the time the submitting
 *     thread spends between a completion and the next submission, and at most 1 where the server runs each request on
 *     the submitting thread (batching off, a free instance).
 * @param meanMicros Mean latency, submit to completion.
 * @param p50Micros Median latency.
 * @param p90Micros 90th percentile latency.
 * @param p99Micros 99th percentile latency.
 * @param queueMicros Mean time a request waited in the server's queue (its {@code InferenceResult.queueTime}).
 * @param computeMicrosPerRow Mean run time of a request's batch divided by the batch's rows.
 * @param meanBatchSize Mean rows of the batch each request ran in.
 * @param bareBatchSize The batch size of the bare ONNX Runtime run: the mean batch size rounded, at least 1.
 * @param bareRowsPerSecond Rows per second of bare ONNX Runtime running batches of {@code bareBatchSize} back to
 *     back on one thread.
 * @param endToEndMs The latencies of the measured requests (submit to completion, in milliseconds) with trtexec's
 *     definitions ({@link Distribution}); empty when none completed in the window.
 */
public record LevelResult(int concurrency, long requests, double throughput, double meanInFlight,
    double meanMicros, double p50Micros, double p90Micros, double p99Micros, double queueMicros,
    double computeMicrosPerRow, double meanBatchSize, int bareBatchSize, double bareRowsPerSecond,
    Optional<Distribution> endToEndMs) {
  /** Checks the one reference. */
  public LevelResult {
    Objects.requireNonNull(endToEndMs, "endToEndMs");
  }
}
