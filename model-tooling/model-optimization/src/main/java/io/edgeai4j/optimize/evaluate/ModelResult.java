package io.edgeai4j.optimize.evaluate;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One model's figures in an {@link EvaluationReport}.
 *
 * @param file The model file.
 * @param fileBytes Its size on disk.
 * @param top1 The fraction of rows whose highest output is the label; empty when the data is not labelled.
 * @param topK The fraction of rows whose label is among the {@code k} highest outputs; empty when not labelled.
 * @param latency Its batch-1 latency, measured interleaved with the other model's.
 */
public record ModelResult(Path file, long fileBytes, OptionalDouble top1, OptionalDouble topK, Latency latency) {
  /** Validates. */
  public ModelResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(top1, "top1");
    Objects.requireNonNull(topK, "topK");
    Objects.requireNonNull(latency, "latency");
  }
}
