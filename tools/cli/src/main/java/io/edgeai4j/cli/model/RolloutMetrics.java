package io.edgeai4j.cli.model;

import io.edgeai4j.modelupdate.state.UpdateState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The custom metrics of a model release's layered deployment ({@code metrics.queries}): IoT Hub runs each query over
 * the module twins each time it evaluates its deployments (every five minutes) and keeps the count of devices in
 * {@code metrics.results}. Each counts the devices of one release version, from what the model-update module reports
 * in {@code properties.reported.models.<name>} ({@code ModelState.toReported()}: {@code state}, {@code desiredVersion},
 * {@code activeVersion}; states as {@link UpdateState#wireName()}). Stateless, thread-safe.
 */
public final class RolloutMetrics {
  /** The module reports this version as its desired one: the release reached it. */
  public static final String TARGETED = "targeted";
  /** The package of this version is on the device (verified, staged, activating, active or rolled back). */
  public static final String DOWNLOADED = "downloaded";
  /** This version serves ({@code activeVersion}). */
  public static final String ACTIVE = "active";
  /** This version failed on the device or the inference module refused it ({@code failed}, {@code rolledBack}). */
  public static final String FAILED = "failed";
  /** The metric names, in the order they are shown. */
  public static final List<String> NAMES = List.of(TARGETED, DOWNLOADED, ACTIVE, FAILED);

  static final String STATE = "state";
  static final String DESIRED_VERSION = "desiredVersion";
  static final String ACTIVE_VERSION = "activeVersion";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final List<UpdateState> DOWNLOADED_STATES = List.of(UpdateState.VERIFYING, UpdateState.STAGED,
      UpdateState.ACTIVATING, UpdateState.ACTIVE, UpdateState.ROLLED_BACK);
  private static final List<UpdateState> FAILED_STATES = List.of(UpdateState.FAILED, UpdateState.ROLLED_BACK);

  private RolloutMetrics() {}

  /**
   * The queries, by metric name ({@link #NAMES}), for version {@code version} of model {@code model} set in the
   * desired properties of module {@code module}; each is checked by {@link MetricQuery#parse}.
   */
  public static Map<String, String> queries(String module, String model, long version) {
    String reported = "properties.reported.models." + segment(model) + ".";
    String desired = reported + DESIRED_VERSION + " = " + version;
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(TARGETED, select(module, desired));
    queries.put(DOWNLOADED, select(module, desired + " AND " + anyState(reported, DOWNLOADED_STATES)));
    queries.put(ACTIVE, select(module, reported + ACTIVE_VERSION + " = " + version));
    queries.put(FAILED, select(module, desired + " AND " + anyState(reported, FAILED_STATES)));
    queries.values().forEach(MetricQuery::parse);
    return queries;
  }

  /** A name as a query attribute segment: itself when an identifier, else {@code [[name]]}. */
  static String segment(String name) {
    return IDENTIFIER.matcher(name).matches() ? name : "[[" + name + "]]";
  }

  private static String select(String module, String condition) {
    return "SELECT deviceId FROM devices.modules WHERE moduleId = '" + module + "' AND " + condition;
  }

  private static String anyState(String reported, List<UpdateState> states) {
    return states.stream().map(s -> reported + STATE + " = '" + s.wireName() + "'")
        .collect(Collectors.joining(" OR ", "(", ")"));
  }
}
