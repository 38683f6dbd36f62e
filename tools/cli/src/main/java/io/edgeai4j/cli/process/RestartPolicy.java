package io.edgeai4j.cli.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A module's {@code restartPolicy} in the deployment manifest, as edgeAgent applies it when the module's process
 * exits. edgeAgent implements only {@code always} and {@code never}: Microsoft's documentation says that
 * {@code on-failure} and {@code on-unhealthy} "are unimplemented and won't initiate a restart" (the manifest check
 * warns about them), so a module process with either is not restarted here either.
 */
public enum RestartPolicy {
  /** Never restarted. */
  NEVER("never"),
  /** Meant to restart after a failure, but edgeAgent does not implement it: never restarted. */
  ON_FAILURE("on-failure"),
  /** Meant to restart when unhealthy, but edgeAgent does not implement it: never restarted. */
  ON_UNHEALTHY("on-unhealthy"),
  /** Restarted whenever it exits; edgeAgent's default. */
  ALWAYS("always");

  private final String manifestName;

  RestartPolicy(String manifestName) {
    this.manifestName = manifestName;
  }

  /** The name in the manifest, e.g. {@code on-failure}. */
  public String manifestName() {
    return manifestName;
  }

  /** Whether a process that exited is started again: only with {@link #ALWAYS}, as edgeAgent does. */
  public boolean restarts() {
    return this == ALWAYS;
  }

  /** Why a process that exited is not started again (for {@link #NEVER}, {@link #ON_FAILURE}, ...). */
  public String whyNotRestarted() {
    return this == NEVER || this == ALWAYS ? "restartPolicy " + manifestName
        : "restartPolicy " + manifestName + ", which edgeAgent does not implement: it never restarts such a module";
  }

  /**
   * Parses a manifest value.
   *
   * @throws IllegalArgumentException Naming the value found and the values expected.
   */
  public static RestartPolicy parse(String value) {
    for (RestartPolicy p : values()) {
      if (p.manifestName.equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("restartPolicy '" + value + "' is not one of " + Arrays.stream(values())
        .map(RestartPolicy::manifestName).collect(Collectors.joining(", ")));
  }

  /**
   * The restart policy of every module of a manifest ({@code $edgeAgent}'s {@code modules.<name>.restartPolicy}),
   * {@link #ALWAYS} where it is absent, as edgeAgent defaults it.
   *
   * @param manifest The deployment manifest's JSON.
   * @throws IllegalArgumentException Naming the module and the value when one is not a restart policy.
   */
  public static Map<String, RestartPolicy> of(JsonNode manifest) {
    Map<String, RestartPolicy> policies = new LinkedHashMap<>();
    JsonNode modules = manifest.at("/modulesContent/$edgeAgent/properties.desired/modules");
    modules.fields().forEachRemaining(e -> {
      JsonNode value = e.getValue().get("restartPolicy");
      try {
        policies.put(e.getKey(), value == null || value.isNull() ? ALWAYS
            : parse(value.asText()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("module '" + e.getKey() + "': " + ex.getMessage(), ex);
      }
    });
    return policies;
  }
}
