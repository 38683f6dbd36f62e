package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * One inference request. Immutable.
 *
 * @param model The model's name in the repository.
 * @param version The version to run, or null for the newest READY version the policy allows.
 * @param inputs One tensor per model input, by name; batchable inputs may carry several rows.
 * @param correlationId Echoed in logs; may be null.
 */
public record InferenceRequest(String model, Long version, Map<String, Tensor> inputs, String correlationId) {
  /** Validates and copies {@code inputs}. */
  public InferenceRequest {
    Objects.requireNonNull(model, "model");
    inputs = Map.copyOf(Objects.requireNonNull(inputs, "inputs"));
  }
}
