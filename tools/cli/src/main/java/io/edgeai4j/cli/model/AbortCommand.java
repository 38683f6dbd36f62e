package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model abort <model> [--version V]}: deletes the model's canary deployment (If-Match its etag) and says
 * what its devices go back to: the model's other deployments that target them, highest priority first, or none
 * (then {@code models.<model>} leaves their desired properties and the model-update module reports the model
 * {@code unmanaged}, still serving what it serves). Idempotent: with no canary left it changes nothing and exits 0.
 */
@Command(name = "abort", sortOptions = false,
    description = {"Aborts a model's canary: deletes the canary deployment <id>-canary and says what its devices go"
        + " back to (the model's other deployments, highest priority first, where they target them).",
        "Nothing to delete (already aborted or promoted) is not an error."})
public final class AbortCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "<model>", description = "The model's name, e.g. fault-classifier.")
  String model;

  @Option(names = "--version", paramLabel = "N", description = "The canary's release version; needed when the"
      + " model has several canaries.")
  Long version;

  @Mixin HubOptions hubOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return HubOptions.run("abort", spec.commandLine().getErr(), () -> {
      HubOptions.model(model);
      HubConfigurations hub = hubOptions.configurations();
      Rollout rollout = Rollout.read(hub, model);
      if (rollout.canaries(version).isEmpty()) {
        out.println("nothing to abort: no canary deployment of model '" + model + "'"
            + (version == null ? "" : " version " + version) + " on " + rollout.host() + "; found "
            + rollout.found());
        return ExitCodes.OK;
      }
      RolloutDeployment canary = rollout.canary(version);
      boolean deleted = hub.delete(canary.json());
      out.println(deleted ? "deleted: canary deployment " + canary.describe()
          : "nothing to abort: canary deployment '" + canary.id() + "' was deleted meanwhile");
      out.println(fallBack(rollout, canary));
      return ExitCodes.OK;
    });
  }

  /** What the canary's devices get now. */
  static String fallBack(Rollout rollout, RolloutDeployment canary) {
    List<RolloutDeployment> rest = rollout.deployments().stream().filter(d -> !d.id().equals(canary.id()))
        .sorted((a, b) -> Integer.compare(b.priority(), a.priority())).toList();
    String devices = "devices that " + canary.targetCondition() + " selects";
    String none = "models." + rollout.model() + " leaves the desired properties of a device none of them"
        + " targets: its model-update module reports the model unmanaged and keeps serving the version it serves";
    if (rest.isEmpty()) {
      return devices + " go back to no deployment of model '" + rollout.model() + "': " + none;
    }
    return devices + " go back to the highest-priority one of these that targets them: "
        + rest.stream().map(RolloutDeployment::describe).collect(Collectors.joining(", ")) + "; " + none;
  }
}
