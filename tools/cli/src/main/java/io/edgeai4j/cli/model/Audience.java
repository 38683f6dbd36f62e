package io.edgeai4j.cli.model;

/** Who gets the release: one device's module twin, or a fleet through a layered deployment. Immutable. */
sealed interface Audience {
  /** The hub, or null in a dry run without a connection string. */
  HubConnection hub();

  /** The module whose desired properties get the release. */
  String module();

  /** One device: patch {@code module}'s twin. */
  record OneDevice(HubConnection hub, String deviceId, String module) implements Audience {}

  /**
   * A fleet: a layered deployment {@code deploymentId} (null: the default id) for {@code targetCondition} at
   * {@code priority}; with {@code canaryCondition}, only the canary {@code <id>-canary} at {@code priority + 1} for
   * the devices both conditions select ({@link #canaryTargetCondition()}).
   */
  record Fleet(HubConnection hub, String deploymentId, String targetCondition, int priority, String canaryCondition,
      String module) implements Audience {
    /**
     * The canary deployment's target condition, {@code (<targetCondition>) AND (<canaryCondition>)}: a canary is
     * always a subset of the fleet, whatever the canary condition selects on its own. Null without a canary.
     */
    String canaryTargetCondition() {
      return canaryCondition == null ? null : "(" + targetCondition + ") AND (" + canaryCondition + ")";
    }
  }
}
