package io.edgeai4j.hardwaretests.report;

import io.edgeai4j.nativebindings.perf.LatencyStats;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import java.util.List;
import java.util.Objects;

/**
 * One model at one precision: how long its engine took to build (null when it came from the cache), its agreement with
 * ONNX Runtime CPU (null when not measured), its latency summary and the per-query latencies (ms) the histogram is
 * drawn from. Immutable.
 */
public record ModelRun(String model, Precision precision, Double engineBuildSeconds, Agreement agreement,
    LatencyStats latency, List<Double> latenciesMs) {

  /** Checks the names and copies the latencies. */
  public ModelRun {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(latency, "latency");
    latenciesMs = List.copyOf(latenciesMs);
  }

  /** {@code model/precision}, the label of the run in the summary and the histogram. */
  public String label() {
    return model + " " + precision;
  }
}
