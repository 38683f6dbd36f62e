package io.edgeai4j.optimize.partition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's profile (Chrome trace JSON: an array of events): the {@code model_run} events ({@code cat}
 * {@code Session}) in time order, each with the kernel time of the nodes that ran inside its span ({@code cat}
 * {@code Node}, {@code name} {@code <node>_kernel_time}, {@code dur} in µs; a node run twice in one run is summed).
 */
final class TraceEvents {
  private static final String KERNEL = "_kernel_time";

  /** One model run: its start (µs) and each node's kernel time in it. */
  record Run(long start, Map<String, Double> nodeMicros) {}

  private TraceEvents() {}

  static List<Run> read(Path trace) throws PartitionException {
    JsonNode events;
    try {
      events = new ObjectMapper().readTree(trace.toFile());
    } catch (IOException e) {
      throw new PartitionException("ONNX Runtime's profile " + trace + " cannot be read: " + e, e);
    }
    if (events == null || !events.isArray()) {
      throw new PartitionException("ONNX Runtime's profile " + trace + " is no JSON array of trace events");
    }
    List<long[]> spans = new ArrayList<>();
    for (JsonNode e : events) {
      if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
        long ts = e.path("ts").asLong();
        spans.add(new long[] {ts, ts + e.path("dur").asLong()});
      }
    }
    spans.sort(Comparator.comparingLong(s -> s[0]));
    List<Map<String, Double>> nodes = new ArrayList<>();
    spans.forEach(s -> nodes.add(new HashMap<>()));
    for (JsonNode e : events) {
      String name = e.path("name").asText();
      if (!"Node".equals(e.path("cat").asText()) || !name.endsWith(KERNEL)) {
        continue;
      }
      long ts = e.path("ts").asLong();
      for (int i = 0; i < spans.size(); i++) {
        if (ts >= spans.get(i)[0] && ts <= spans.get(i)[1]) {
          nodes.get(i).merge(name.substring(0, name.length() - KERNEL.length()), e.path("dur").asDouble(),
              Double::sum);
          break;
        }
      }
    }
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      runs.add(new Run(spans.get(i)[0], Map.copyOf(nodes.get(i))));
    }
    return runs;
  }
}
