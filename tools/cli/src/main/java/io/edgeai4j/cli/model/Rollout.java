package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.cli.ExitCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The layered deployments on a hub that set one model ({@code models.<model>}), canaries first, then by version and
 * priority, highest first; and the ids of every other deployment, for messages. Immutable.
 *
 * @param model The model's name.
 * @param host The hub, for messages.
 * @param deployments The model's deployments.
 * @param others The ids of the hub's other deployments.
 */
record Rollout(String model, String host, List<RolloutDeployment> deployments, List<String> others) {
  private static final Comparator<RolloutDeployment> ORDER = Comparator
      .comparing((RolloutDeployment d) -> !d.canary())
      .thenComparing(d -> d.version() == null ? Long.MIN_VALUE : d.version(), Comparator.reverseOrder())
      .thenComparing(RolloutDeployment::priority, Comparator.reverseOrder())
      .thenComparing(RolloutDeployment::id);

  Rollout {
    deployments = List.copyOf(deployments);
    others = List.copyOf(others);
  }

  /** Lists the hub's deployments and keeps those of {@code model}. */
  static Rollout read(HubConfigurations hub, String model) throws RolloutException {
    List<RolloutDeployment> mine = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (JsonNode configuration : hub.list()) {
      if (RolloutDeployment.setsModel(configuration, model)) {
        mine.add(RolloutDeployment.of(configuration, model));
      } else {
        others.add(configuration.path("id").asText());
      }
    }
    mine.sort(ORDER);
    return new Rollout(model, hub.hostName(), mine, others);
  }

  /**
   * The canary to promote or abort: the one of {@code version}, or the only one.
   *
   * @throws RolloutException ({@link ExitCodes#DATA_ERROR}) When there is none or, without a version, several;
   *     naming the deployments found.
   */
  RolloutDeployment canary(Long version) throws RolloutException {
    List<RolloutDeployment> canaries = canaries(version);
    if (canaries.size() == 1) {
      return canaries.get(0);
    }
    if (canaries.isEmpty()) {
      throw new RolloutException(ExitCodes.DATA_ERROR, "no canary deployment of model '" + model + "'"
          + (version == null ? "" : " version " + version) + " on " + host + " (expected a deployment '<id>"
          + RolloutDeployment.CANARY_SUFFIX + "' setting models." + model + ", as edge model publish"
          + " --canary-condition creates); found " + found());
    }
    throw new RolloutException(ExitCodes.USAGE, "model '" + model + "' has " + canaries.size() + " canary"
        + " deployments on " + host + ": " + canaries.stream().map(RolloutDeployment::describe)
            .collect(Collectors.joining(", ")) + "; say which with --version");
  }

  /** The canaries, of {@code version} when it is not null. */
  List<RolloutDeployment> canaries(Long version) {
    return deployments.stream().filter(RolloutDeployment::canary)
        .filter(d -> version == null || version.equals(d.version())).toList();
  }

  /** What was found, for messages: the model's deployments, then how many others. */
  String found() {
    String mine = deployments.isEmpty() ? "no deployment of model '" + model + "'"
        : "deployments of model '" + model + "': " + deployments.stream().map(RolloutDeployment::describe)
            .collect(Collectors.joining(", "));
    return mine + (others.isEmpty() ? "; no other deployment" : "; other deployments: " + String.join(", ", others));
  }

  /**
   * The fleet's condition inside a canary's {@code (<fleet>) AND (<canary>)}, as {@code edge model publish} writes
   * it; null when the condition is not of that form.
   */
  static String fleetCondition(String canaryCondition) {
    String c = canaryCondition.strip();
    if (!c.startsWith("(")) {
      return null;
    }
    int end = closing(c, 0);
    if (end < 0) {
      return null;
    }
    String rest = c.substring(end + 1).strip();
    if (!rest.regionMatches(true, 0, "AND", 0, 3)) {
      return null;
    }
    String second = rest.substring(3).strip();
    if (!second.startsWith("(") || closing(second, 0) != second.length() - 1) {
      return null;
    }
    String fleet = c.substring(1, end).strip();
    return fleet.isEmpty() ? null : fleet;
  }

  /** The index of the parenthesis closing the one at {@code open}, skipping quoted strings; -1 when none. */
  private static int closing(String s, int open) {
    int depth = 0;
    char quote = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }
}
