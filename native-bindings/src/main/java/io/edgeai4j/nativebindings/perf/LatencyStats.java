package io.edgeai4j.nativebindings.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A performance summary in trtexec's terms, computed from per-query traces: throughput (queries times batch size over
 * the Total Host Walltime, from the first timed query's H2D start to the last query's D2H end), and the distribution
 * of Latency (H2D + GPU compute + D2H), End-to-End Host Latency, Enqueue Time, H2D Latency, GPU Compute Time and D2H
 * Latency. Queries whose compute starts before the warm-up ends are left out, as trtexec leaves them out; trtexec's
 * warnings (enqueue-bound, transfer-bound, unstable GPU compute) are in {@link #warnings()}.
 *
 * <p>Immutable.
 */
public record LatencyStats(int queries, int warmupQueries, int batchSize, double walltimeMs, double throughputQps,
    Distribution latency, Distribution endToEnd, Distribution enqueue, Distribution h2d, Distribution gpuCompute,
    Distribution d2h, double totalGpuComputeMs, List<String> warnings) {

  /** trtexec's {@code kENQUEUE_BOUND_REPORTING_THRESHOLD}. */
  static final double ENQUEUE_BOUND = 0.8;
  /** trtexec's {@code kUNSTABLE_PERF_REPORTING_THRESHOLD}, in percent. */
  static final double UNSTABLE_CV_PERCENT = 1.0;

  /** Copies the warnings. */
  public LatencyStats {
    warnings = List.copyOf(warnings);
  }

  /**
   * The summary of {@code trace} (in the order the queries were issued), leaving out the queries whose compute starts
   * before {@code warmup}; {@code batchSize} samples per query (1 for an explicit-batch engine run at batch 1).
   */
  public static LatencyStats of(List<InferenceTrace> trace, Duration warmup, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size " + batchSize + ": expected at least 1");
    }
    if (trace.isEmpty()) {
      throw new IllegalArgumentException("no queries recorded: expected at least one trace");
    }
    double warmupMs = warmup.toNanos() / 1e6;
    int first = 0;
    while (first < trace.size() && trace.get(first).computeStartMs() < warmupMs) {
      first++;
    }
    if (first == trace.size()) {
      throw new IllegalArgumentException("all " + trace.size() + " queries fall in the warm-up of " + warmupMs
          + " ms (the last compute starts at " + trace.get(trace.size() - 1).computeStartMs()
          + " ms): expected queries after the warm-up");
    }
    List<InferenceTrace> timed = trace.subList(first, trace.size());
    double walltimeMs = trace.get(trace.size() - 1).d2hEndMs() - timed.get(0).h2dStartMs();
    if (walltimeMs <= 0) {
      throw new IllegalArgumentException("walltime " + walltimeMs + " ms from the first timed H2D start to the last"
          + " D2H end: expected a positive span");
    }
    double throughput = (double) batchSize * timed.size() / walltimeMs * 1000;
    Distribution latency = Distribution.of(values(timed, InferenceTrace::latencyMs));
    Distribution enqueue = Distribution.of(values(timed, InferenceTrace::enqueueMs));
    Distribution h2d = Distribution.of(values(timed, InferenceTrace::h2dMs));
    Distribution compute = Distribution.of(values(timed, InferenceTrace::computeMs));
    Distribution d2h = Distribution.of(values(timed, InferenceTrace::d2hMs));
    return new LatencyStats(timed.size(), first, batchSize, walltimeMs, throughput, latency,
        Distribution.of(values(timed, InferenceTrace::endToEndMs)), enqueue, h2d, compute, d2h,
        compute.mean() * timed.size(), warnings(enqueue, h2d, compute, d2h));
  }

  private static double[] values(List<InferenceTrace> timed, ToDoubleFunction<InferenceTrace> metric) {
    return timed.stream().mapToDouble(metric).toArray();
  }

  private static List<String> warnings(Distribution enqueue, Distribution h2d, Distribution compute,
      Distribution d2h) {
    List<String> warnings = new ArrayList<>();
    if (enqueue.median() > ENQUEUE_BOUND * compute.median()) {
      warnings.add("Throughput may be bound by Enqueue Time rather than GPU Compute (enqueue median "
          + ms(enqueue.median()) + " > 0.8 x GPU compute median " + ms(compute.median()) + ")");
    }
    if (h2d.median() >= compute.median()) {
      warnings.add("Throughput may be bound by host-to-device transfers (H2D median " + ms(h2d.median())
          + " >= GPU compute median " + ms(compute.median()) + ")");
    }
    if (d2h.median() >= compute.median()) {
      warnings.add("Throughput may be bound by device-to-host transfers (D2H median " + ms(d2h.median())
          + " >= GPU compute median " + ms(compute.median()) + ")");
    }
    if (compute.coefficientOfVariationPercent() > UNSTABLE_CV_PERCENT) {
      warnings.add("GPU compute time is unstable, with coefficient of variance = "
          + String.format(Locale.ROOT, "%.2f", compute.coefficientOfVariationPercent()) + "%");
    }
    return warnings;
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.4f ms", v);
  }

  /** trtexec's "=== Performance summary ===" block, one metric a line, then the warnings. */
  public String format() {
    StringBuilder s = new StringBuilder("=== Performance summary ===\n");
    s.append(String.format(Locale.ROOT, "Throughput: %.4f qps%n", throughputQps));
    line(s, "Latency", latency);
    line(s, "End-to-End Host Latency", endToEnd);
    line(s, "Enqueue Time", enqueue);
    line(s, "H2D Latency", h2d);
    line(s, "GPU Compute Time", gpuCompute);
    line(s, "D2H Latency", d2h);
    s.append(String.format(Locale.ROOT, "Total Host Walltime: %.6f s%n", walltimeMs / 1000));
    s.append(String.format(Locale.ROOT, "Total GPU Compute Time: %.6f s%n", totalGpuComputeMs / 1000));
    s.append(String.format(Locale.ROOT, "Timed queries: %d (warm-up left out: %d), batch size %d%n", queries,
        warmupQueries, batchSize));
    for (String w : warnings) {
      s.append("* ").append(w).append('\n');
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String name, Distribution d) {
    s.append(String.format(Locale.ROOT, "%s: min = %.4f ms, max = %.4f ms, mean = %.4f ms, median = %.4f ms,"
        + " percentile(90%%) = %.4f ms, percentile(95%%) = %.4f ms, percentile(99%%) = %.4f ms%n", name, d.min(),
        d.max(), d.mean(), d.median(), d.p90(), d.p95(), d.p99()));
  }
}
