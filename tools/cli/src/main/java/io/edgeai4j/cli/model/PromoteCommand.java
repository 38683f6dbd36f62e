package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model promote <model> [--version V]}: turns the canary deployment into the fleet-wide one. The fleet
 * deployment ({@code <id>} of the canary {@code <id>-canary}) gets the canary's content, the fleet's target condition
 * (the first part of the canary's {@code (<fleet>) AND (<canary>)}) and the canary's priority - 1; then the canary
 * is deleted. Refuses while the canary's {@code failed} metric is above 0, or not computed yet, unless
 * {@code --force}. Creating the fleet deployment first means no device loses the release in between.
 */
@Command(name = "promote", sortOptions = false,
    description = {"Promotes a model's canary deployment to the fleet: creates the fleet deployment <id> with the"
        + " canary <id>-canary's content (target condition: the fleet part of the canary's"
        + " (<fleet>) AND (<canary>); priority: the canary's - 1), then deletes the canary.",
        "Refused (exit 65) while the canary reports failed devices (its 'failed' metric), or before the hub has"
        + " computed it, unless --force."})
public final class PromoteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "<model>", description = "The model's name, e.g. fault-classifier.")
  String model;

  @Option(names = "--version", paramLabel = "N", description = "The canary's release version; needed when the"
      + " model has several canaries.")
  Long version;

  @Option(names = "--force", description = "Promote even when the canary reports failures or no metrics yet.")
  boolean force;

  @Option(names = "--target-condition", paramLabel = "COND", description = "The fleet deployment's target"
      + " condition. Default: the fleet part of the canary's (<fleet>) AND (<canary>).")
  String targetCondition;

  @Option(names = "--priority", paramLabel = "N",
      description = "The fleet deployment's priority. Default: the canary's - 1.")
  Integer priority;

  @Mixin HubOptions hubOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return HubOptions.run("promote", err, () -> {
      HubOptions.model(model);
      if (targetCondition != null && targetCondition.isBlank()) {
        throw new RolloutException(ExitCodes.USAGE, "--target-condition: expected a condition, found nothing");
      }
      if (priority != null && priority < 0) {
        throw new RolloutException(ExitCodes.USAGE, "--priority: expected 0 or more, found " + priority);
      }
      HubConfigurations hub = hubOptions.configurations();
      Rollout rollout = Rollout.read(hub, model);
      RolloutDeployment canary = rollout.canary(version);
      checkHealth(canary, err);
      ObjectNode fleet = fleetDeployment(canary);

      Optional<JsonNode> existing = hub.get(fleet.path("id").asText());
      if (existing.isEmpty()) {
        hub.create(fleet);
        out.println("created: layered deployment '" + fleet.path("id").asText() + "' (priority "
            + fleet.path("priority").asInt() + ", target condition " + fleet.path("targetCondition").asText()
            + ") with the content of '" + canary.id() + "'");
      } else {
        update(hub, existing.get(), fleet, canary, out);
      }
      if (hub.delete(canary.json())) {
        out.println("deleted: canary deployment '" + canary.id() + "'");
      } else {
        out.println("deleted: canary deployment '" + canary.id() + "' was already gone");
      }
      out.println("promoted: model " + model + " version " + canary.version() + " now goes to every device that "
          + fleet.path("targetCondition").asText() + " selects (IoT Hub applies deployments every five minutes;"
          + " edge model status " + model + " shows the counts)");
      return ExitCodes.OK;
    });
  }

  /** Refuses a canary that reports failures, or none yet, unless --force. */
  private void checkHealth(RolloutDeployment canary, PrintWriter err) throws RolloutException {
    Long failed = canary.metrics().get(RolloutMetrics.FAILED);
    String problem = null;
    if (failed == null) {
      problem = "canary '" + canary.id() + "' has no '" + RolloutMetrics.FAILED + "' metric result yet ("
          + (canary.queries().containsKey(RolloutMetrics.FAILED) ? "IoT Hub computes metrics every five minutes"
              : "it has no '" + RolloutMetrics.FAILED + "' metric query") + "), so whether devices failed is unknown";
    } else if (failed > 0) {
      problem = "canary '" + canary.id() + "' reports " + failed + " device(s) failed on version "
          + canary.version() + " (state failed or rolledBack; expected 0); edge model status " + model
          + " shows the counts, the devices' module twins the reasons";
    }
    if (problem == null) {
      return;
    }
    if (!force) {
      throw new RolloutException(ExitCodes.DATA_ERROR, problem + "; nothing was changed (--force promotes anyway)");
    }
    err.println("edge model promote: warning: " + problem + "; promoting anyway (--force)");
  }

  /** The fleet deployment: the canary's id without -canary, its content, labels and metrics queries. */
  private ObjectNode fleetDeployment(RolloutDeployment canary) throws RolloutException {
    String condition = targetCondition != null ? targetCondition : Rollout.fleetCondition(canary.targetCondition());
    if (condition == null) {
      throw new RolloutException(ExitCodes.USAGE, "canary '" + canary.id() + "': its target condition '"
          + canary.targetCondition() + "' is not of the form (<fleet>) AND (<canary>) that edge model publish"
          + " writes; give the fleet's with --target-condition");
    }
    int fleetPriority = priority != null ? priority : canary.priority() - 1;
    if (fleetPriority < 0) {
      throw new RolloutException(ExitCodes.USAGE, "canary '" + canary.id() + "' has priority " + canary.priority()
          + ", so the fleet's would be " + fleetPriority + "; give it with --priority");
    }
    ObjectNode fleet = JsonNodeFactory.instance.objectNode();
    fleet.put("id", canary.fleetId());
    fleet.set("labels", canary.json().path("labels").deepCopy());
    fleet.set("content", canary.json().path("content").deepCopy());
    fleet.put("targetCondition", condition);
    fleet.put("priority", fleetPriority);
    ObjectNode queries = fleet.putObject("metrics").putObject("queries");
    canary.queries().forEach(queries::put);
    if (canary.queries().isEmpty() && canary.module() != null && canary.version() != null) {
      RolloutMetrics.queries(canary.module(), model, canary.version()).forEach(queries::put);
    }
    return fleet;
  }

  /**
   * A fleet deployment that exists: IoT Hub does not change a deployment's content, so it must already carry the
   * canary's; its target condition and priority are updated (If-Match its etag) when they differ.
   */
  private void update(HubConfigurations hub, JsonNode existing, ObjectNode fleet, RolloutDeployment canary,
      PrintWriter out) throws RolloutException {
    String id = fleet.path("id").asText();
    if (!existing.path("content").equals(fleet.path("content"))) {
      throw new RolloutException(ExitCodes.CANT_CREATE, "deployment '" + id + "' exists with other content than"
          + " canary '" + canary.id() + "' (found " + RolloutDeployment.of(existing, model).describe()
          + "), and IoT Hub does not change a deployment's content; delete it or promote to another id by"
          + " publishing again with --deployment-id; nothing was changed");
    }
    boolean same = existing.path("targetCondition").asText().equals(fleet.path("targetCondition").asText())
        && existing.path("priority").asInt() == fleet.path("priority").asInt();
    if (same) {
      out.println("kept: layered deployment '" + id + "' already carries the canary's content (priority "
          + fleet.path("priority").asInt() + ", target condition " + fleet.path("targetCondition").asText() + ")");
      return;
    }
    ObjectNode updated = (ObjectNode) existing.deepCopy();
    updated.put("targetCondition", fleet.path("targetCondition").asText());
    updated.put("priority", fleet.path("priority").asInt());
    hub.replace(updated);
    out.println("updated: layered deployment '" + id + "': priority " + existing.path("priority").asInt() + " -> "
        + fleet.path("priority").asInt() + ", target condition " + existing.path("targetCondition").asText()
        + " -> " + fleet.path("targetCondition").asText());
  }
}
