package io.edgeai4j.cli.model.perf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.nativebindings.perf.Distribution;
import java.util.List;
import java.util.Locale;

/**
 * A level's figures in trtexec's terms ("=== Performance summary ===", {@code samples/common/sampleReporting.cpp}):
 * throughput in queries per second over the measured window and the End-to-End Host Latency distribution
 * ({@link Distribution}: trtexec's median and sorted-index percentiles). Through the model server only a request's
 * end-to-end latency is known (submit to completion, queue included): trtexec's Latency, Enqueue Time, H2D Latency,
 * GPU Compute Time and D2H Latency are not measured on this path, and the summary says so rather than invent them.
 * Stateless.
 */
final class TrtexecSummary {
  /** trtexec's metrics this path cannot measure. */
  static final List<String> NOT_MEASURED = List.of("Latency", "Enqueue Time", "H2D Latency", "GPU Compute Time",
      "D2H Latency");
  /** Why they are not measured. */
  static final String WHY = "through the model server only each request's end-to-end latency is known (submit to"
      + " completion, queue included); the backend reports no H2D, GPU compute or D2H phases on this path";

  private TrtexecSummary() {}

  /** The block printed after the table for one level. */
  static String format(LevelResult l, long durationMillis) {
    StringBuilder s = new StringBuilder("=== Performance summary (trtexec's terms), concurrency " + l.concurrency()
        + " ===\n");
    if (l.endToEndMs().isEmpty()) {
      return s.append("no query completed in the measured window: nothing to summarize\n").toString();
    }
    Distribution d = l.endToEndMs().get();
    s.append(String.format(Locale.ROOT, "Throughput: %.4f qps%n", l.throughput()));
    s.append(String.format(Locale.ROOT, "End-to-End Host Latency: min = %.4f ms, max = %.4f ms, mean = %.4f ms,"
        + " median = %.4f ms, percentile(90%%) = %.4f ms, percentile(95%%) = %.4f ms, percentile(99%%) = %.4f ms%n",
        d.min(), d.max(), d.mean(), d.median(), d.p90(), d.p95(), d.p99()));
    s.append(String.format(Locale.ROOT, "Total Host Walltime: %.6f s%n", durationMillis / 1000.0));
    s.append("Timed queries: ").append(l.requests()).append(" (warm-up left out), batch size 1\n");
    s.append(String.join(", ", NOT_MEASURED)).append(": not measured: ").append(WHY).append('\n');
    return s.toString();
  }

  /** The level's {@code trtexec} object in {@code --json}. */
  static void json(LevelResult l, long durationMillis, ObjectNode level) {
    ObjectNode t = level.putObject("trtexec");
    t.put("throughputQps", l.throughput());
    t.put("totalHostWalltimeSeconds", durationMillis / 1000.0);
    t.put("queries", l.requests());
    if (l.endToEndMs().isPresent()) {
      Distribution d = l.endToEndMs().get();
      t.putObject("endToEndHostLatencyMs").put("min", d.min()).put("mean", d.mean()).put("median", d.median())
          .put("p90", d.p90()).put("p95", d.p95()).put("p99", d.p99()).put("max", d.max());
    } else {
      t.putNull("endToEndHostLatencyMs");
    }
    NOT_MEASURED.forEach(t.putArray("notMeasured")::add);
    t.put("notMeasuredBecause", WHY);
  }
}
