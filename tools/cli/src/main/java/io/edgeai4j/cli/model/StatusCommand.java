package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model status <model>}: the model's layered deployments on IoT Hub (canary and fleet), their target
 * conditions and priorities, and their metric counts (IoT Hub's system metrics and the rollout metrics of
 * {@link RolloutMetrics}); human-readable or {@code --json}. Reads only.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows a model's rollout on IoT Hub: its layered deployments (canary and fleet), their target"
        + " conditions, priorities and device counts (IoT Hub's targetedCount/appliedCount and the devices that"
        + " report the version targeted, downloaded, active, failed; the hub evaluates them every five minutes).")
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<model>", description = "The model's name, e.g. fault-classifier.")
  String model;

  @Option(names = "--json", description = "One JSON document instead of text.")
  boolean json;

  @Mixin HubOptions hubOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return HubOptions.run("status", spec.commandLine().getErr(), () -> {
      Rollout rollout = Rollout.read(hubOptions.configurations(), HubOptions.model(model));
      if (json) {
        out.println(PublishCommand.pretty(toJson(rollout)));
      } else {
        print(rollout, out);
      }
      return ExitCodes.OK;
    });
  }

  static ObjectNode toJson(Rollout rollout) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("model", rollout.model());
    root.put("hub", rollout.host());
    ArrayNode deployments = root.putArray("deployments");
    for (RolloutDeployment d : rollout.deployments()) {
      ObjectNode node = deployments.addObject();
      node.put("id", d.id());
      node.put("role", d.canary() ? "canary" : "fleet");
      if (d.version() == null) {
        node.putNull("version");
      } else {
        node.put("version", d.version());
      }
      node.put("module", d.module());
      node.put("targetCondition", d.targetCondition());
      node.put("priority", d.priority());
      node.put("createdTimeUtc", d.json().path("createdTimeUtc").asText(null));
      ObjectNode system = node.putObject("systemMetrics");
      d.systemMetrics().forEach(system::put);
      ObjectNode metrics = node.putObject("metrics");
      d.metrics().forEach(metrics::put);
    }
    ArrayNode others = root.putArray("otherDeployments");
    rollout.others().forEach(others::add);
    return root;
  }

  private static void print(Rollout rollout, PrintWriter out) {
    if (rollout.deployments().isEmpty()) {
      out.println("model " + rollout.model() + " on " + rollout.host() + ": " + rollout.found());
      return;
    }
    out.println("model " + rollout.model() + " on " + rollout.host() + ": " + rollout.deployments().size()
        + " deployment(s)");
    for (RolloutDeployment d : rollout.deployments()) {
      out.println();
      out.println((d.canary() ? "canary " : "fleet  ") + d.id());
      out.println("  version:    " + (d.version() == null ? "unknown" : d.version())
          + (d.module() == null ? "" : " (module " + d.module() + ")"));
      out.println("  priority:   " + d.priority());
      out.println("  target:     " + d.targetCondition());
      out.println("  system:     " + counts(d.systemMetrics(), List.of("targetedCount", "appliedCount")));
      out.println("  devices:    " + (d.queries().isEmpty() && d.metrics().isEmpty()
          ? "no metrics queries (published before edge model publish wrote them)"
          : counts(d.metrics(), RolloutMetrics.NAMES)));
    }
  }

  /** {@code name n, ...}: the {@code first} names in order (a dash when not computed yet), then the others. */
  private static String counts(Map<String, Long> results, List<String> first) {
    List<String> parts = new ArrayList<>();
    for (String name : first) {
      parts.add(name + " " + (results.containsKey(name) ? results.get(name).toString() : "-"));
    }
    results.forEach((name, count) -> {
      if (!first.contains(name)) {
        parts.add(name + " " + count);
      }
    });
    if (results.isEmpty()) {
      return (parts.isEmpty() ? "" : String.join(", ", parts) + " ") + "(not computed yet)";
    }
    return parts.stream().collect(Collectors.joining(", "));
  }
}
