package io.edgeai4j.cli.model.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.serving.ModelDescriptor;
import java.util.List;
import java.util.Locale;

/**
 * The result of a sweep: what ran and one {@link LevelResult} per concurrency level. Immutable.
 *
 * @param model The model file measured.
 * @param backend The inference backend.
 * @param batching The batching the server ran with ({@code model.json}'s {@code batching}, after the sweep's flags).
 * @param inputs Where the rows came from.
 * @param durationMillis Measured time per level.
 * @param warmupMillis Warm-up time per level.
 * @param levels One per level, ascending.
 */
public record PerfReport(String model, String backend, ModelDescriptor.Batching batching, String inputs,
    long durationMillis, long warmupMillis, List<LevelResult> levels) {
  /** Copies. */
  public PerfReport {
    levels = List.copyOf(levels);
  }

  /** The report as JSON (the {@code --json} document). */
  public ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("model", model);
    root.put("backend", backend);
    ObjectNode b = root.putObject("batching");
    b.put("enabled", batching.maxBatchSize() > 1);
    b.put("maxBatchSize", batching.maxBatchSize());
    b.put("maxQueueDelayMicros", batching.maxQueueDelay().toNanos() / 1000);
    b.put("instances", batching.instances());
    b.put("adaptive", batching.adaptive());
    root.put("inputs", inputs);
    root.put("durationMillis", durationMillis);
    root.put("warmupMillis", warmupMillis);
    ObjectNode machine = root.putObject("machine");
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("arch", System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.version"));
    var array = root.putArray("levels");
    for (LevelResult l : levels) {
      ObjectNode n = array.addObject();
      n.put("concurrency", l.concurrency());
      n.put("requests", l.requests());
      n.put("throughput", l.throughput());
      n.put("meanInFlight", l.meanInFlight());
      ObjectNode latency = n.putObject("latencyMicros");
      latency.put("mean", l.meanMicros());
      latency.put("p50", l.p50Micros());
      latency.put("p90", l.p90Micros());
      latency.put("p99", l.p99Micros());
      n.put("queueMicros", l.queueMicros());
      n.put("computeMicrosPerRow", l.computeMicrosPerRow());
      n.put("meanBatchSize", l.meanBatchSize());
      ObjectNode bare = n.putObject("onnxRuntime");
      bare.put("batchSize", l.bareBatchSize());
      bare.put("rowsPerSecond", l.bareRowsPerSecond());
      TrtexecSummary.json(l, durationMillis, n);
    }
    return root;
  }

  /** Each level's block in trtexec's terms ({@link TrtexecSummary}), printed after the table. */
  public String trtexec() {
    StringBuilder s = new StringBuilder();
    levels.forEach(l -> s.append(TrtexecSummary.format(l, durationMillis)));
    return s.toString();
  }

  /** The terminal table: a header line and one line per level. */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%11s %9s %12s %9s %9s %9s %9s %9s %14s %7s %18s%n", "concurrency",
        "in flight", "infer/s", "mean us", "p50 us", "p90 us", "p99 us", "queue us", "compute us/row", "batch",
        "bare ORT rows/s"));
    for (LevelResult l : levels) {
      s.append(String.format(Locale.ROOT, "%11d %9.1f %12.1f %9.1f %9.0f %9.0f %9.0f %9.1f %14.1f %7.2f %18s%n",
          l.concurrency(), l.meanInFlight(), l.throughput(), l.meanMicros(), l.p50Micros(), l.p90Micros(),
          l.p99Micros(), l.queueMicros(), l.computeMicrosPerRow(), l.meanBatchSize(),
          String.format(Locale.ROOT, "%.1f (batch %d)", l.bareRowsPerSecond(), l.bareBatchSize())));
    }
    return s.toString();
  }
}
