package io.edgeai4j.cli.model.partition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.partition.Candidate;
import io.edgeai4j.optimize.partition.Link;
import io.edgeai4j.optimize.partition.Objective;
import io.edgeai4j.optimize.partition.Plan;
import io.edgeai4j.runtime.link.LinkSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code edge model plan}'s output: the candidates as a table or as JSON, the choice and its gains. Stateless. */
public final class PlanReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanReport() {}

  /** The table, one row per candidate (the chosen one marked {@code *}, the min-cut's {@code m}), then the choice. */
  public static void print(Plan plan, PrintWriter out) {
    List<String> header = new ArrayList<>(List.of("", "#", "cut (" + plan.links().stream().map(Link::name)
        .collect(Collectors.joining(" | ")) + ")", "bytes"));
    plan.tiers().forEach(t -> header.add(t + " ms"));
    header.addAll(List.of("serialize ms", "transfer ms", "total ms", "req/s"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (int i = 0; i < plan.candidates().size(); i++) {
      Candidate c = plan.candidates().get(i);
      List<String> row = new ArrayList<>();
      row.add((i == plan.chosen() ? "*" : "") + (c.minCut() ? "m" : ""));
      row.add(Integer.toString(i));
      row.add(c.label());
      row.add(c.linkBytes().stream().map(b -> String.format(Locale.ROOT, "%,d", b))
          .collect(Collectors.joining(" | ")));
      c.computeMicros().forEach(m -> row.add(ms(m)));
      row.add(c.serializationMicros().stream().map(PlanReport::ms).collect(Collectors.joining(" | ")));
      row.add(c.transferMicros().stream().map(PlanReport::ms).collect(Collectors.joining(" | ")));
      row.add(ms(c.totalMicros()));
      row.add(String.format(Locale.ROOT, "%.1f", c.requestsPerSecond()));
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (List<String> row : rows) {
      for (int k = 0; k < row.size(); k++) {
        width[k] = Math.max(width[k], row.get(k).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < row.size(); k++) {
        String cell = row.get(k);
        boolean left = k <= 2;
        line.append(left ? String.format("%-" + width[k] + "s", cell) : String.format("%" + width[k] + "s", cell));
        line.append(k + 1 < row.size() ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
    Candidate best = plan.best();
    out.println();
    out.printf(Locale.ROOT, "model:     %s, %s of %d nodes, %d candidates%s%n", plan.model(), plan.shape(),
        plan.nodes().size(), plan.candidates().size(), plan.minCutMicros() >= 0
            ? String.format(Locale.ROOT, " (m: the min-cut, value %.3f ms)", plan.minCutMicros() / 1e3) : "");
    out.printf(Locale.ROOT, "links:     %s; activations %s; objective %s%n", plan.links().stream()
        .map(l -> l.name() + " " + new LinkSpec(l.bitsPerSecond(), l.latency(), 0))
        .collect(Collectors.joining(", ")), plan.encoding().label(), plan.objective().label());
    out.printf(Locale.ROOT, "chosen:    #%d %s: %s ms end to end, %.1f requests/s (bottleneck %s)%n", plan.chosen(),
        best.label(), ms(best.totalMicros()), best.requestsPerSecond(), best.bottleneck());
    out.printf("placement: %s%n", placement(plan, best));
    out.printf("gain:      %s%n", plan.gains().entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%.2f× over all on %s", e.getValue(), e.getKey()))
        .collect(Collectors.joining(", ")) + (plan.objective() == Objective.LATENCY ? " (latency)"
            : " (requests/s)"));
    plan.notes().forEach(n -> out.println("note:      " + n));
  }

  /** The plan as JSON: the same rows and the choice. */
  public static String json(Plan plan) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", plan.model()).put("sha256", plan.sha256()).put("shape", plan.shape())
        .put("objective", plan.objective().label()).put("activations", plan.encoding().label());
    plan.tiers().forEach(root.putArray("tiers")::add);
    ArrayNode links = root.putArray("links");
    for (Link l : plan.links()) {
      links.addObject().put("name", l.name()).put("bitsPerSecond", l.bitsPerSecond())
          .put("latencyMs", l.latencyMicros() / 1e3);
    }
    plan.nodes().forEach(root.putArray("nodes")::add);
    ArrayNode candidates = root.putArray("candidates");
    for (Candidate c : plan.candidates()) {
      candidates.add(JSON.valueToTree(c));
    }
    root.put("chosen", plan.chosen());
    root.set("best", JSON.valueToTree(plan.best()));
    if (plan.minCutMicros() >= 0) {
      root.put("minCutMicros", plan.minCutMicros());
    }
    ObjectNode gains = root.putObject("gains");
    for (Map.Entry<String, Double> e : plan.gains().entrySet()) {
      gains.put(e.getKey(), e.getValue());
    }
    plan.notes().forEach(root.putArray("notes")::add);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** Which nodes run where: each tier's first and last node and count. */
  static String placement(Plan plan, Candidate c) {
    List<String> parts = new ArrayList<>();
    for (int t = 0; t < plan.tiers().size(); t++) {
      List<String> here = new ArrayList<>();
      for (int i = 0; i < c.tierOfNode().size(); i++) {
        if (c.tierOfNode().get(i) == t) {
          here.add(plan.nodes().get(i));
        }
      }
      parts.add(plan.tiers().get(t) + " " + (here.isEmpty() ? "nothing" : here.size() == 1 ? here.get(0)
          : here.size() + " nodes (" + here.get(0) + " … " + here.get(here.size() - 1) + ")"));
    }
    return String.join("; ", parts);
  }

  private static String ms(double micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1e3);
  }
}
