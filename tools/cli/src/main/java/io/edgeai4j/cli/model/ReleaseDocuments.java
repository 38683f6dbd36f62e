package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.ModelRelease;

/**
 * The documents {@code edge model publish} sends for a release: the module twin's desired-properties patch and the
 * IoT Hub layered deployment (configuration) that carries the same release to a fleet. Stateless, thread-safe.
 */
public final class ReleaseDocuments {
  /** The prefix of a layered deployment's path to the release: {@code properties.desired.models.<name>}. */
  public static final String LAYERED_PATH_PREFIX = "properties.desired.models.";

  private ReleaseDocuments() {}

  /** The desired-properties patch {@code {"models": {<name>: <release>}}}: other models are left as they are. */
  public static ObjectNode twinPatch(ModelRelease release) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("models").set(release.name(), release.toJson());
    return patch;
  }

  /**
   * A layered deployment that sets {@code models.<name>} in the desired properties of {@code module} on every
   * device that {@code targetCondition} selects: {@code {"id", "labels", "content": {"modulesContent": {<module>:
   * {"properties.desired.models.<name>": <release>}}}, "targetCondition", "priority"}}. A layer addresses the one
   * property by its dotted path, so it merges with the base deployment and the other models' layers instead of
   * replacing {@code models} (docs: layered deployments). The model's name must therefore hold no {@code .}, which
   * twin keys forbid anyway. It carries {@code "metrics": {"queries": ...}}: the devices that report this version
   * targeted, downloaded, active and failed ({@link RolloutMetrics}).
   */
  public static ObjectNode layeredDeployment(String id, String targetCondition, int priority, String module,
      ModelRelease release) {
    ObjectNode configuration = JsonNodeFactory.instance.objectNode();
    configuration.put("id", id);
    ObjectNode labels = configuration.putObject("labels");
    labels.put("edgeai4j-model", release.name());
    labels.put("edgeai4j-model-version", Long.toString(release.version()));
    configuration.putObject("content").putObject("modulesContent").putObject(module)
        .set(LAYERED_PATH_PREFIX + release.name(), release.toJson());
    configuration.put("targetCondition", targetCondition);
    configuration.put("priority", priority);
    ObjectNode queries = configuration.putObject("metrics").putObject("queries");
    RolloutMetrics.queries(module, release.name(), release.version()).forEach(queries::put);
    return configuration;
  }
}
