package io.edgeai4j.runtime.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.routing.RouteSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed deployment manifest. Immutable; the twin documents are copies handed out as copies.
 *
 * @param modules The user modules of {@code $edgeAgent}, in startup order (then by name).
 * @param routes The routes of {@code $edgeHub}, in manifest order.
 * @param storeAndForwardTimeToLive {@code storeAndForwardConfiguration.timeToLiveSecs}; 7200 s when
 *     absent; {@code null} for a negative value, which edgeHub reads as "never expire".
 * @param storeMaxSizeBytes {@code storeAndForwardConfiguration.storeLimits.maxSizeBytes}, if set.
 * @param desiredProperties Each module twin's desired properties, keyed by module name.
 */
public record DeploymentManifest(
    List<ManifestModule> modules,
    List<RouteSpec> routes,
    Duration storeAndForwardTimeToLive,
    Optional<Long> storeMaxSizeBytes,
    Map<String, ObjectNode> desiredProperties) {

  /** edgeHub's documented default store-and-forward time to live. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(7200);

  /** Copies the collections, and each twin document. */
  public DeploymentManifest {
    modules = List.copyOf(modules);
    routes = List.copyOf(routes);
    desiredProperties = copyOf(desiredProperties);
  }

  /** Returns a copy of each module twin's desired properties. */
  @Override
  public Map<String, ObjectNode> desiredProperties() {
    return copyOf(desiredProperties);
  }

  private static Map<String, ObjectNode> copyOf(Map<String, ObjectNode> twins) {
    Map<String, ObjectNode> copies = new java.util.LinkedHashMap<>();
    twins.forEach((name, desired) -> copies.put(name, desired.deepCopy()));
    return java.util.Collections.unmodifiableMap(copies);
  }

  /** Returns a module by name. */
  public Optional<ManifestModule> module(String name) {
    return modules.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Returns a copy of a module's desired properties from the manifest, or an empty object. */
  public ObjectNode desiredPropertiesOf(String moduleName) {
    ObjectNode desired = desiredProperties.get(moduleName);
    return desired == null
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : desired.deepCopy();
  }
}
