package io.edgeai4j.cli.model.partition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.partition.Link;
import io.edgeai4j.optimize.partition.Objective;
import io.edgeai4j.optimize.partition.Plan;
import io.edgeai4j.runtime.link.LinkSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code edge model plan --measure} measured: per candidate the predicted end-to-end latency beside the measured
 * mean (with its 95 % interval), p50 and p90, and requests/s; the predicted best against the measured best; the
 * chosen candidate's measured gain over each single tier. Printed as a table, written as JSON ({@code --measure-json})
 * and drawn ({@link MeasurementPlot}). Immutable.
 *
 * @param plan the plan measured
 * @param requests measured requests per candidate
 * @param warmup warm-up requests per candidate, not counted
 * @param distinctInputs distinct rows of the data directory sent (request k takes row k mod this)
 * @param threads each tier's ONNX Runtime intra-op threads
 * @param rows one per candidate, in the plan's order
 */
public record MeasurementReport(Plan plan, int requests, int warmup, int distinctInputs, Map<String, Integer> threads,
    List<Row> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One candidate measured.
   *
   * @param index the candidate's index in the plan
   * @param exact whether answers were compared bit for bit (float32 activations); else {@code maxAbsDifference}
   *     is the largest difference from the unsplit model's outputs
   */
  public record Row(int index, String label, String kind, double predictedMs, double predictedRequestsPerSecond,
      LatencyStats measured, double measuredRequestsPerSecond, boolean exact, double maxAbsDifference) {}

  /** Copies the collections. */
  public MeasurementReport {
    threads = Map.copyOf(threads);
    rows = List.copyOf(rows);
  }

  /** The candidate measured best: the lowest mean latency, or the most requests/s for the throughput objective. */
  public Row measuredBest() {
    Comparator<Row> order = plan.objective() == Objective.LATENCY
        ? Comparator.comparingDouble(r -> r.measured().meanMs())
        : Comparator.comparingDouble(r -> -r.measuredRequestsPerSecond());
    return rows.stream().min(order).orElseThrow();
  }

  /** The chosen candidate's row. */
  public Row chosen() {
    return rows.get(plan.chosen());
  }

  /** The single-tier candidate of a tier ({@code all on <tier>}), if measured. */
  public Optional<Row> allOn(String tier) {
    return rows.stream().filter(r -> r.label().equals("all on " + tier)).findFirst();
  }

  /** Measured gain of the chosen candidate over running everything on {@code tier}: latency ratio, or requests/s. */
  public Optional<Double> measuredGainOver(String tier) {
    Row chosen = chosen();
    return allOn(tier).map(r -> plan.objective() == Objective.LATENCY ? r.measured().meanMs() / chosen.measured()
        .meanMs() : chosen.measuredRequestsPerSecond() / r.measuredRequestsPerSecond());
  }

  /** Prints the table and the comparison. */
  public void print(PrintWriter out) {
    boolean throughput = plan.objective() == Objective.THROUGHPUT;
    List<String> header = new ArrayList<>(List.of("", "#", "cut", "predicted ms", "measured ms (95% CI)",
        "p50 ms", "p90 ms"));
    if (throughput) {
      header.addAll(List.of("predicted req/s", "measured req/s"));
    }
    header.add("answers");
    List<List<String>> table = new ArrayList<>();
    table.add(header);
    Row best = measuredBest();
    for (Row r : rows) {
      List<String> row = new ArrayList<>();
      row.add((r.index() == plan.chosen() ? "*" : "") + (r == best ? "b" : ""));
      row.add(Integer.toString(r.index()));
      row.add(r.label());
      row.add(f(r.predictedMs()));
      row.add(f(r.measured().meanMs()) + " ± " + f(r.measured().ci95Ms()));
      row.add(f(r.measured().p50Ms()));
      row.add(f(r.measured().p90Ms()));
      if (throughput) {
        row.add(String.format(Locale.ROOT, "%.1f", r.predictedRequestsPerSecond()));
        row.add(String.format(Locale.ROOT, "%.1f", r.measuredRequestsPerSecond()));
      }
      row.add(r.exact() ? "equal" : String.format(Locale.ROOT, "max |diff| %.3g", r.maxAbsDifference()));
      table.add(row);
    }
    int[] width = new int[header.size()];
    for (List<String> row : table) {
      for (int k = 0; k < row.size(); k++) {
        width[k] = Math.max(width[k], row.get(k).length());
      }
    }
    out.println();
    for (List<String> row : table) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < row.size(); k++) {
        boolean left = k <= 2 || k == row.size() - 1;
        line.append(String.format("%" + (left ? "-" : "") + width[k] + "s", row.get(k)))
            .append(k + 1 < row.size() ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
    out.println();
    out.printf(Locale.ROOT, "measured:  %d requests per candidate (%s), after %d warm-up%s; %d distinct inputs; "
        + "through the device hierarchy over %s; threads %s%n", requests, throughput ? "back to back"
            : "one at a time", warmup, throughput || requests < 2 ? "" : " in each of two passes (plan order, then"
            + " reverse)", distinctInputs, links(), plan.tiers().stream()
            .map(t -> t + " " + Optional.ofNullable(threads.get(t)).map(String::valueOf).orElse("default"))
            .collect(Collectors.joining(", ")));
    out.printf(Locale.ROOT, "answers:   %s%n", rows.stream().allMatch(Row::exact)
        ? "every one equal to the unsplit model's outputs (float32 activations: bit for bit)"
        : "every one with the unsplit model's outputs; largest difference " + String.format(Locale.ROOT, "%.3g",
            rows.stream().mapToDouble(Row::maxAbsDifference).max().orElse(0)) + " (" + plan.encoding().label()
            + " activations)");
    Row chosen = chosen();
    out.printf(Locale.ROOT, "predicted: #%d %s, %s%n", chosen.index(), chosen.label(), value(chosen, false));
    out.printf(Locale.ROOT, "measured:  #%d %s, %s%s%n", best.index(), best.label(), value(best, true),
        best == chosen ? " (the planner's choice)" : "; the planner's choice measured " + value(chosen, true));
    List<String> gains = new ArrayList<>();
    for (String tier : plan.tiers()) {
      measuredGainOver(tier).ifPresent(g -> gains.add(String.format(Locale.ROOT, "%.2f× over all on %s", g, tier)));
    }
    out.printf("gain:      measured, of the chosen cut: %s%n", String.join(", ", gains));
  }

  private String value(Row r, boolean measured) {
    if (plan.objective() == Objective.THROUGHPUT) {
      return String.format(Locale.ROOT, "%.1f requests/s", measured ? r.measuredRequestsPerSecond()
          : r.predictedRequestsPerSecond());
    }
    return measured ? f(r.measured().meanMs()) + " ± " + f(r.measured().ci95Ms()) + " ms"
        : f(r.predictedMs()) + " ms";
  }

  /** The links as {@code device-edge 10Mbit/20ms}. */
  String links() {
    return plan.links().stream().map(l -> l.name() + " " + new LinkSpec(l.bitsPerSecond(), l.latency(), 0))
        .collect(Collectors.joining(", "));
  }

  /** The report as JSON. */
  public String json() throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", plan.model()).put("sha256", plan.sha256()).put("objective", plan.objective().label())
        .put("activations", plan.encoding().label()).put("requests", requests).put("warmup", warmup)
        .put("distinctInputs", distinctInputs);
    ArrayNode links = root.putArray("links");
    for (Link l : plan.links()) {
      links.addObject().put("name", l.name()).put("bitsPerSecond", l.bitsPerSecond())
          .put("latencyMs", l.latencyMicros() / 1e3);
    }
    ObjectNode threadsNode = root.putObject("threads");
    plan.tiers().forEach(t -> {
      if (threads.containsKey(t)) {
        threadsNode.put(t, threads.get(t));
      }
    });
    ArrayNode candidates = root.putArray("candidates");
    for (Row r : rows) {
      ObjectNode c = candidates.addObject();
      c.put("index", r.index()).put("label", r.label()).put("kind", r.kind()).put("predictedMs", r.predictedMs())
          .put("predictedRequestsPerSecond", r.predictedRequestsPerSecond());
      ObjectNode m = c.putObject("measured");
      LatencyStats s = r.measured();
      m.put("count", s.count()).put("meanMs", s.meanMs()).put("ci95Ms", s.ci95Ms()).put("p50Ms", s.p50Ms())
          .put("p90Ms", s.p90Ms()).put("minMs", s.minMs()).put("maxMs", s.maxMs()).put("stddevMs", s.stddevMs())
          .put("requestsPerSecond", r.measuredRequestsPerSecond());
      c.put("answersExact", r.exact()).put("maxAbsDifference", r.maxAbsDifference());
    }
    root.put("chosen", plan.chosen()).put("measuredBest", measuredBest().index());
    ObjectNode gains = root.putObject("measuredGains");
    for (String tier : plan.tiers()) {
      measuredGainOver(tier).ifPresent(g -> gains.put(tier, g));
    }
    ObjectNode predicted = root.putObject("predictedGains");
    plan.gains().forEach(predicted::put);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static String f(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }
}
