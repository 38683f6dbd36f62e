package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds what is wrong with a deployment manifest before it reaches a device. Thread-safe.
 *
 * <p>{@code az iot edge set-modules} checks only {@code $edgeAgent} and {@code $edgeHub} against their schemas (and
 * skips versions it has no schema for, such as edgeHub 1.3). This validator checks:
 *
 * <ul>
 *   <li>the structure of {@code $edgeAgent} (schema 1.0, 1.1) and {@code $edgeHub} (1.0 to 1.3) against bundled
 *       schemas;
 *   <li>module names, environment variable names, images (a tag; {@code latest} is a warning; an IoT Edge runtime
 *       image of a release out of support, 1.5 LTS and older, is a warning naming its end-of-support date), restart
 *       policies ({@code on-failure} and {@code on-unhealthy} are warnings: edgeAgent never restarts on them);
 *   <li>createOptions: the chunks joined parse as a JSON object, GPU {@code Capabilities} are an array of arrays,
 *       bind paths are absolute;
 *   <li>routes: they compile; their source and target modules are deployed; the output and input they name are
 *       declared by the module's {@code module.json} (a module without one: a warning);
 *   <li>twin limits of {@code $edgeAgent}, {@code $edgeHub} and each module's desired properties; a module twin
 *       section is {@code {"properties.desired": {...}}} of a deployed module.
 * </ul>
 */
public final class ManifestValidator {
  private static final String DESIRED = "properties.desired";

  private final ModuleDescriptors descriptors;

  /**
   * Creates a validator.
   *
   * @param descriptors The {@code module.json} files that declare modules' inputs and outputs; a module's
   *     descriptor is the one whose repository its image is of.
   */
  public ManifestValidator(ModuleDescriptors descriptors) {
    this.descriptors = Objects.requireNonNull(descriptors, "descriptors");
  }

  /** Checks a manifest: {@code {"modulesContent": ...}} or {@code {"content": {"modulesContent": ...}}}. */
  public ValidationReport validate(JsonNode manifest) {
    List<Problem> problems = new ArrayList<>();
    String contentPointer = "/modulesContent";
    JsonNode content = manifest.path("modulesContent");
    if (content.isMissingNode() && manifest.path("content").has("modulesContent")) {
      contentPointer = "/content/modulesContent";
      content = manifest.path("content").path("modulesContent");
    }
    if (!content.isObject()) {
      problems.add(Problem.error(content.isMissingNode() ? "" : contentPointer,
          "expected {\"modulesContent\": {\"$edgeAgent\": …, \"$edgeHub\": …}}"));
      return new ValidationReport(problems);
    }
    String agentPointer = contentPointer + "/$edgeAgent/" + DESIRED;
    String hubPointer = contentPointer + "/$edgeHub/" + DESIRED;
    JsonNode agent = desired(content, "$edgeAgent", agentPointer, problems);
    JsonNode hub = desired(content, "$edgeHub", hubPointer, problems);
    Map<String, DeployedModule> modules = new LinkedHashMap<>();
    if (agent != null) {
      problems.addAll(SchemaCheck.check(SchemaCheck.Twin.EDGE_AGENT, agent, agentPointer));
      problems.addAll(ModuleCheck.check(agent.path("systemModules"), agentPointer + "/systemModules", false));
      problems.addAll(ModuleCheck.check(agent.path("modules"), agentPointer + "/modules", true));
      problems.addAll(TwinCheck.check(agent, agentPointer));
      modules = deployedModules(agent.path("modules"));
    }
    if (hub != null) {
      problems.addAll(SchemaCheck.check(SchemaCheck.Twin.EDGE_HUB, hub, hubPointer));
      problems.addAll(RouteCheck.check(hub.path("routes"), hubPointer + "/routes", agent == null ? null : modules));
      problems.addAll(TwinCheck.check(hub, hubPointer));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> section = it.next();
      if (!section.getKey().equals("$edgeAgent") && !section.getKey().equals("$edgeHub")) {
        checkModuleTwin(section.getKey(), section.getValue(), JsonPointers.child(contentPointer, section.getKey()),
            agent == null ? null : modules, problems);
      }
    }
    return new ValidationReport(problems);
  }

  private static JsonNode desired(JsonNode content, String twin, String pointer, List<Problem> problems) {
    JsonNode section = content.get(twin);
    if (section == null) {
      problems.add(Problem.error(pointer.substring(0, pointer.lastIndexOf('/')), "missing; a deployment sets "
          + twin + "'s desired properties"));
      return null;
    }
    JsonNode desired = section.get(DESIRED);
    if (desired == null || !desired.isObject()) {
      problems.add(Problem.error(pointer, desired == null ? "missing" : "expected an object"));
      return null;
    }
    return desired;
  }

  private Map<String, DeployedModule> deployedModules(JsonNode modulesNode) {
    Map<String, DeployedModule> modules = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = modulesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode image = entry.getValue().path("settings").path("image");
      Optional<String> imageText = image.isTextual() ? Optional.of(image.textValue()) : Optional.empty();
      modules.put(entry.getKey(), new DeployedModule(entry.getKey(), imageText,
          imageText.flatMap(descriptors::forImage)));
    }
    return modules;
  }

  private static void checkModuleTwin(String name, JsonNode section, String pointer,
      Map<String, DeployedModule> modules, List<Problem> problems) {
    if (modules != null && !modules.containsKey(name)) {
      problems.add(Problem.warning(pointer, "desired properties for module '" + name + "', which $edgeAgent does"
          + " not deploy " + modules.keySet()));
    }
    if (!section.isObject()) {
      problems.add(Problem.error(pointer, "expected {\"" + DESIRED + "\": {...}}"));
      return;
    }
    for (Iterator<String> keys = section.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals(DESIRED)) {
        problems.add(Problem.error(JsonPointers.child(pointer, key), "a module twin section holds only \"" + DESIRED
            + "\""));
      }
    }
    JsonNode desired = section.get(DESIRED);
    if (desired == null || !desired.isObject()) {
      problems.add(Problem.error(JsonPointers.child(pointer, DESIRED), desired == null ? "missing"
          : "expected an object"));
      return;
    }
    problems.addAll(TwinCheck.check(desired, JsonPointers.child(pointer, DESIRED)));
  }
}
