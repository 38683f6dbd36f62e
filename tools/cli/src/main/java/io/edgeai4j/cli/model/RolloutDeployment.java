package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layered deployment of a model's rollout, as IoT Hub lists it. Immutable.
 *
 * @param id The deployment (configuration) id.
 * @param canary True for a canary ({@code <id>-canary}, as {@code edge model publish --canary-condition} names it).
 * @param version The release version it sets (label {@code edgeai4j-model-version}, else the content's), or null.
 * @param module The module whose desired properties it sets, or null when the content names none.
 * @param targetCondition As on the hub.
 * @param priority As on the hub.
 * @param systemMetrics IoT Hub's own counts ({@code systemMetrics.results}, e.g. targetedCount, appliedCount).
 * @param metrics The custom metrics' counts ({@code metrics.results}); empty until the hub evaluated them.
 * @param queries The custom metrics' queries ({@code metrics.queries}).
 * @param json The configuration as read (with its etag).
 */
record RolloutDeployment(String id, boolean canary, Long version, String module, String targetCondition,
    int priority, Map<String, Long> systemMetrics, Map<String, Long> metrics, Map<String, String> queries,
    ObjectNode json) {
  RolloutDeployment {
    systemMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(systemMetrics));
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    json = json.deepCopy();
  }

  static final String CANARY_SUFFIX = "-canary";
  static final String MODEL_LABEL = "edgeai4j-model";
  static final String VERSION_LABEL = "edgeai4j-model-version";

  /** True when the configuration sets {@code models.<model>} of some module (by label or by content). */
  static boolean setsModel(JsonNode configuration, String model) {
    if (model.equals(configuration.path("labels").path(MODEL_LABEL).asText(null))) {
      return true;
    }
    return moduleSetting(configuration, model) != null;
  }

  /** Reads a configuration that {@link #setsModel} said sets {@code model}. */
  static RolloutDeployment of(JsonNode configuration, String model) {
    String id = configuration.path("id").asText();
    Map.Entry<String, JsonNode> setting = moduleSetting(configuration, model);
    Long version = null;
    String label = configuration.path("labels").path(VERSION_LABEL).asText(null);
    if (label != null && label.matches("\\d{1,18}")) {
      version = Long.parseLong(label);
    } else if (setting != null && setting.getValue().path("version").canConvertToLong()) {
      version = setting.getValue().path("version").asLong();
    }
    return new RolloutDeployment(id, id.endsWith(CANARY_SUFFIX), version,
        setting == null ? null : setting.getKey(), configuration.path("targetCondition").asText(""),
        configuration.path("priority").asInt(), counts(configuration.path("systemMetrics").path("results")),
        counts(configuration.path("metrics").path("results")), texts(configuration.path("metrics").path("queries")),
        (ObjectNode) configuration);
  }

  /** The configuration as read (a copy: the record stays immutable). */
  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The fleet deployment's id a canary widens to: its id without {@code -canary}. */
  String fleetId() {
    return canary ? id.substring(0, id.length() - CANARY_SUFFIX.length()) : id;
  }

  /** {@code 'id' (version V, priority P, target C)}. */
  String describe() {
    return "'" + id + "' (" + (version == null ? "version unknown" : "version " + version) + ", priority " + priority
        + ", target " + targetCondition + ")";
  }

  /** The module and the release value of {@code properties.desired.models.<model>} in the content, or null. */
  private static Map.Entry<String, JsonNode> moduleSetting(JsonNode configuration, String model) {
    var modules = configuration.path("content").path("modulesContent").fields();
    while (modules.hasNext()) {
      Map.Entry<String, JsonNode> module = modules.next();
      JsonNode release = module.getValue().get(ReleaseDocuments.LAYERED_PATH_PREFIX + model);
      if (release != null) {
        return Map.entry(module.getKey(), release);
      }
    }
    return null;
  }

  private static Map<String, Long> counts(JsonNode results) {
    Map<String, Long> counts = new LinkedHashMap<>();
    results.fields().forEachRemaining(e -> {
      if (e.getValue().canConvertToLong()) {
        counts.put(e.getKey(), e.getValue().asLong());
      }
    });
    return counts;
  }

  private static Map<String, String> texts(JsonNode queries) {
    Map<String, String> texts = new LinkedHashMap<>();
    queries.fields().forEachRemaining(e -> texts.put(e.getKey(), e.getValue().asText()));
    return texts;
  }
}
