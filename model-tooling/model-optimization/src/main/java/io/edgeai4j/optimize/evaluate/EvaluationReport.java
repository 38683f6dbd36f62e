package io.edgeai4j.optimize.evaluate;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@link ModelEvaluator} measured: both models' accuracy, file size and latency, and how the candidate's outputs
 * differ from the reference's (first output of each, row by row). Immutable.
 *
 * @param reference The reference model's figures.
 * @param candidate The candidate model's figures.
 * @param sets The data sets read.
 * @param rows The rows compared.
 * @param classes The values per row of the first output (the classes of a classifier).
 * @param topK The {@code k} of top-k accuracy.
 * @param accuracyOmitted Why accuracy is missing (labels missing in some or all sets); empty when it was measured.
 * @param agreement The fraction of rows where both models have the same top-1 class.
 * @param maxAbsError The largest absolute difference between an output value of the two models.
 * @param meanAbsError The mean absolute difference over every output value.
 */
public record EvaluationReport(ModelResult reference, ModelResult candidate, int sets, long rows, int classes,
    int topK, Optional<String> accuracyOmitted, double agreement, double maxAbsError, double meanAbsError) {
  /** Validates. */
  public EvaluationReport {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(accuracyOmitted, "accuracyOmitted");
  }

  /** A table for the terminal: one column per model, then how they compare. */
  public String table() {
    StringBuilder s = new StringBuilder();
    String format = "%-22s %16s %16s%n";
    s.append(String.format(Locale.ROOT, format, "", "reference", "candidate"));
    s.append(String.format(Locale.ROOT, format, "file", name(reference), name(candidate)));
    s.append(String.format(Locale.ROOT, format, "size (bytes)", reference.fileBytes(), candidate.fileBytes()));
    if (accuracyOmitted.isEmpty()) {
      s.append(String.format(Locale.ROOT, format, "top-1 accuracy", percent(reference.top1()),
          percent(candidate.top1())));
      s.append(String.format(Locale.ROOT, format, "top-" + topK + " accuracy", percent(reference.topK()),
          percent(candidate.topK())));
    }
    Latency r = reference.latency();
    Latency c = candidate.latency();
    s.append(String.format(Locale.ROOT, format, "latency mean (ms)", ms(r.meanMs()), ms(c.meanMs())));
    s.append(String.format(Locale.ROOT, format, "latency p50 (ms)", ms(r.p50Ms()), ms(c.p50Ms())));
    s.append(String.format(Locale.ROOT, format, "latency p99 (ms)", ms(r.p99Ms()), ms(c.p99Ms())));
    s.append(String.format(Locale.ROOT, "%-22s %16s%n", "agreement (top-1)", percent(OptionalDouble.of(agreement))));
    s.append(String.format(Locale.ROOT, "%-22s %16.6g%n", "max abs error", maxAbsError));
    s.append(String.format(Locale.ROOT, "%-22s %16.6g%n", "mean abs error", meanAbsError));
    s.append(String.format(Locale.ROOT, "%d rows in %d sets, %d outputs per row; latency: %d interleaved batch-1"
        + " runs of each model, 1 intra-op thread, ONNX Runtime CPU%n", rows, sets, classes, r.runs()));
    accuracyOmitted.ifPresent(why -> s.append("accuracy omitted: ").append(why).append(System.lineSeparator()));
    return s.toString();
  }

  private static String name(ModelResult m) {
    String n = m.file().getFileName().toString();
    return n.length() <= 16 ? n : "..." + n.substring(n.length() - 13);
  }

  private static String percent(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.2f %%", v.getAsDouble() * 100) : "-";
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
