package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.Tensor;
import java.time.Duration;
import java.util.Map;

/**
 * The answer to one {@link InferenceRequest}. Immutable.
 *
 * @param model The model that answered.
 * @param version The version that answered.
 * @param outputs This request's rows of every output, by name.
 * @param queueTime From acceptance to the start of the run.
 * @param computeTime The run of the batch this request was part of.
 * @param totalTime From acceptance to completion.
 * @param batchSize Rows in the batch this request ran in (all requests together).
 */
public record InferenceResult(String model, long version, Map<String, Tensor> outputs, Duration queueTime,
    Duration computeTime, Duration totalTime, int batchSize) {
  /** Copies {@code outputs}. */
  public InferenceResult {
    outputs = Map.copyOf(outputs);
  }
}
