package io.edgeai4j.runtime.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteException;
import io.edgeai4j.routing.RouteSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a deployment manifest into the local runtime's model ({@link DeploymentManifest}). Stateless and thread-safe.
 *
 * <p>This is not the manifest validator. Whether a manifest is one edgeAgent and edgeHub accept (schemas, module,
 * route and variable names, images, restart policies, createOptions, routes against the deployed modules, twin
 * sizes) is decided by the deployment validator, {@code io.edgeai4j.deployment.ManifestValidator} in
 * {@code tools/deployment}, which {@code edge run} and {@code edge demo} run first, as {@code edge manifest validate}
 * does. This parser refuses only what it cannot turn into the model (a value of the wrong type where the runtime reads
 * it) and what only running in-process needs (a positive in-memory store size). It reads a manifest the validator
 * has passed without a problem; given one the validator refuses, it may accept it or refuse it in its own words.
 */
public final class ManifestParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern CREATE_OPTIONS_KEY =
      Pattern.compile("^create[oO]ptions([0-9]*)$");
  private static final long MAX_UINT = 4_294_967_295L;
  private static final String DESIRED = "properties.desired";

  private ManifestParser() {}

  /**
   * Reads and parses a manifest file.
   *
   * @param file The manifest.
   * @return The manifest.
   * @throws ManifestException If the file cannot be read, is not JSON, or cannot be honoured.
   */
  public static DeploymentManifest parse(Path file) throws ManifestException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ManifestException("$", "manifest file " + file + " does not exist");
    } catch (IOException e) {
      throw new ManifestException("$", "cannot read manifest file " + file + ": " + e.getMessage(), e);
    }
    return parse(text);
  }

  /**
   * Parses manifest JSON text.
   *
   * @param json The manifest.
   * @return The manifest.
   * @throws ManifestException If the text is not JSON or cannot be honoured.
   */
  public static DeploymentManifest parse(String json) throws ManifestException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ManifestException("$", "not JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
    }
    return parse(root);
  }

  /**
   * Parses a manifest tree: {@code {"modulesContent": ...}} or {@code {"content": {"modulesContent": ...}}}.
   *
   * @param root The manifest.
   * @return The manifest.
   * @throws ManifestException If it cannot be honoured.
   */
  public static DeploymentManifest parse(JsonNode root) throws ManifestException {
    if (root == null || !root.isObject()) {
      throw new ManifestException("$", "expected a JSON object with 'modulesContent', found " + kind(root));
    }
    String path = "$.modulesContent";
    JsonNode content = root.get("modulesContent");
    if (content == null && root.path("content").has("modulesContent")) {
      content = root.path("content").get("modulesContent");
      path = "$.content.modulesContent";
    }
    if (content == null) {
      throw new ManifestException("$", "no 'modulesContent' (or 'content.modulesContent'); found keys "
          + fieldNames(root));
    }
    requireObject(content, path);

    JsonNode agent = requireDesired(content, "$edgeAgent", path);
    JsonNode hub = requireDesired(content, "$edgeHub", path);
    List<ManifestModule> modules = parseAgent(agent, path + "['$edgeAgent']['" + DESIRED + "']");
    String hubPath = path + "['$edgeHub']['" + DESIRED + "']";
    List<RouteSpec> routes = parseRoutes(hub, hubPath);
    Duration ttl = parseTimeToLive(hub, hubPath);
    Optional<Long> storeLimit = parseStoreLimit(hub, hubPath);

    Map<String, ObjectNode> twins = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = content.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String name = e.getKey();
      if (name.equals("$edgeAgent") || name.equals("$edgeHub")) {
        continue;
      }
      String twinPath = path + "['" + name + "']";
      if (modules.stream().noneMatch(m -> m.name().equals(name))) {
        continue; // no module to hold it here; the validator warns about it
      }
      requireObject(e.getValue(), twinPath);
      JsonNode desired = e.getValue().get(DESIRED);
      if (desired == null) {
        throw new ManifestException(twinPath, "missing '" + DESIRED + "'");
      }
      requireObject(desired, twinPath + "['" + DESIRED + "']");
      twins.put(name, ((ObjectNode) desired).deepCopy());
    }
    return new DeploymentManifest(modules, routes, ttl, storeLimit, twins);
  }

  private static JsonNode requireDesired(JsonNode content, String key, String path)
      throws ManifestException {
    JsonNode section = content.get(key);
    if (section == null) {
      throw new ManifestException(path, "missing '" + key + "'; found keys " + fieldNames(content));
    }
    requireObject(section, path + "['" + key + "']");
    JsonNode desired = section.get(DESIRED);
    if (desired == null) {
      throw new ManifestException(path + "['" + key + "']", "missing '" + DESIRED + "'");
    }
    requireObject(desired, path + "['" + key + "']['" + DESIRED + "']");
    return desired;
  }

  private static List<ManifestModule> parseAgent(JsonNode agent, String path) throws ManifestException {
    JsonNode modules = agent.get("modules");
    List<ManifestModule> result = new ArrayList<>();
    if (modules == null || modules.isNull()) {
      return result;
    }
    requireObject(modules, path + ".modules");
    for (Iterator<Map.Entry<String, JsonNode>> it = modules.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      result.add(parseModule(e.getKey(), e.getValue(), path + ".modules['" + e.getKey() + "']"));
    }
    result.sort(Comparator.comparingLong(ManifestModule::startupOrder).thenComparing(ManifestModule::name));
    return result;
  }

  private static ManifestModule parseModule(String name, JsonNode module, String path)
      throws ManifestException {
    requireObject(module, path);
    ModuleStatus status = ModuleStatus.RUNNING;
    if (module.has("status")) {
      String s = module.get("status").asText();
      if (s.equals("running")) {
        status = ModuleStatus.RUNNING;
      } else if (s.equals("stopped")) {
        status = ModuleStatus.STOPPED;
      } else {
        throw new ManifestException(path + ".status", "found " + describe(module.get("status"))
            + ", expected 'running' or 'stopped'");
      }
    }
    long startupOrder = ManifestModule.DEFAULT_STARTUP_ORDER;
    if (module.has("startupOrder")) {
      JsonNode so = module.get("startupOrder");
      if (!so.canConvertToLong() || !so.isIntegralNumber() || so.asLong() < 0 || so.asLong() > MAX_UINT) {
        throw new ManifestException(path + ".startupOrder", "found " + describe(so)
            + ", expected an integer from 0 to " + MAX_UINT);
      }
      startupOrder = so.asLong();
    }
    JsonNode settings = module.get("settings");
    if (settings == null) {
      throw new ManifestException(path, "missing 'settings' (with 'image')");
    }
    requireObject(settings, path + ".settings");
    JsonNode imageNode = settings.get("image");
    if (imageNode == null || !imageNode.isTextual() || imageNode.asText().isBlank()) {
      throw new ManifestException(path + ".settings.image", "found " + describe(imageNode)
          + ", expected an image name such as 'myacr.azurecr.io/edgeai4j/threshold-filter:0.1.0'");
    }
    String image = imageNode.asText();
    return new ManifestModule(name, image, status, startupOrder,
        parseEnv(module.get("env"), path + ".env"), joinCreateOptions(settings, path + ".settings"));
  }

  private static Map<String, String> parseEnv(JsonNode env, String path) throws ManifestException {
    Map<String, String> result = new LinkedHashMap<>();
    if (env == null || env.isNull()) {
      return result;
    }
    requireObject(env, path);
    for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String varPath = path + "['" + e.getKey() + "']";
      JsonNode value = e.getValue().get("value");
      if (!e.getValue().isObject() || value == null || !value.isValueNode() || value.isNull()) {
        throw new ManifestException(varPath, "found " + describe(e.getValue())
            + ", expected {\"value\": <string, number or boolean>}");
      }
      result.put(e.getKey(), value.asText());
    }
    return result;
  }

  private static String joinCreateOptions(JsonNode settings, String path) throws ManifestException {
    TreeMap<Integer, String> chunks = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Matcher m = CREATE_OPTIONS_KEY.matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      if (!e.getValue().isTextual()) {
        throw new ManifestException(path + "." + e.getKey(), "found " + describe(e.getValue())
            + ", expected a string holding Docker create options JSON (objects are allowed only in"
            + " templates)");
      }
      int index = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
      chunks.put(index, e.getValue().asText());
    }
    return chunks.isEmpty() ? "{}" : String.join("", chunks.values());
  }

  private static List<RouteSpec> parseRoutes(JsonNode hub, String path) throws ManifestException {
    List<RouteSpec> routes = new ArrayList<>();
    JsonNode routesNode = hub.get("routes");
    if (routesNode == null || routesNode.isNull()) {
      return routes;
    }
    requireObject(routesNode, path + ".routes");
    for (Iterator<Map.Entry<String, JsonNode>> it = routesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String routePath = path + ".routes['" + e.getKey() + "']";
      routes.add(parseRoute(e.getKey(), e.getValue(), routePath));
    }
    return routes;
  }

  private static RouteSpec parseRoute(String name, JsonNode node, String path)
      throws ManifestException {
    String text;
    int priority = RouteSpec.DEFAULT_PRIORITY;
    Duration ttl = null;
    String textPath = path;
    if (node.isTextual()) {
      text = node.asText();
    } else if (node.isObject()) {
      textPath = path + ".route";
      JsonNode route = node.get("route");
      if (route == null || !route.isTextual()) {
        throw new ManifestException(textPath, "found " + describe(route) + ", expected the route string");
      }
      text = route.asText();
      if (node.has("priority")) {
        JsonNode p = node.get("priority");
        if (!p.isIntegralNumber() || p.asLong() < 0 || p.asLong() > 9) {
          throw new ManifestException(path + ".priority", "found " + describe(p)
              + ", expected an integer from 0 (highest) to 9 (lowest)");
        }
        priority = p.asInt();
      }
      if (node.has("timeToLiveSecs")) {
        JsonNode t = node.get("timeToLiveSecs");
        if (!t.isIntegralNumber() || t.asLong() < 0 || t.asLong() > MAX_UINT) {
          throw new ManifestException(path + ".timeToLiveSecs", "found " + describe(t)
              + ", expected an integer from 0 to " + MAX_UINT + " (0 means the store-and-forward TTL)");
        }
        ttl = t.asLong() == 0 ? null : Duration.ofSeconds(t.asLong());
      }
    } else {
      throw new ManifestException(path, "found " + kind(node)
          + ", expected a route string or {\"route\": ..., \"priority\": ..., \"timeToLiveSecs\": ...}");
    }
    try {
      return new RouteSpec(name, Route.parse(text), priority, ttl);
    } catch (RouteException e) {
      throw new ManifestException(textPath, e.getMessage(), e);
    }
  }

  private static Duration parseTimeToLive(JsonNode hub, String path) throws ManifestException {
    JsonNode ttl = hub.path("storeAndForwardConfiguration").get("timeToLiveSecs");
    if (ttl == null || ttl.isNull()) {
      return DeploymentManifest.DEFAULT_TIME_TO_LIVE;
    }
    if (!ttl.isIntegralNumber()) {
      throw new ManifestException(path + ".storeAndForwardConfiguration.timeToLiveSecs",
          "found " + describe(ttl) + ", expected an integer number of seconds (negative: never expire)");
    }
    return ttl.asLong() < 0 ? null : Duration.ofSeconds(ttl.asLong());
  }

  private static Optional<Long> parseStoreLimit(JsonNode hub, String path) throws ManifestException {
    JsonNode max = hub.path("storeAndForwardConfiguration").path("storeLimits").get("maxSizeBytes");
    if (max == null || max.isNull()) {
      return Optional.empty();
    }
    if (!max.isIntegralNumber() || max.asLong() <= 0) {
      throw new ManifestException(path + ".storeAndForwardConfiguration.storeLimits.maxSizeBytes",
          "found " + describe(max) + ", expected a positive integer number of bytes (the local runtime's in-memory"
          + " store cannot hold a message in 0 bytes)");
    }
    return Optional.of(max.asLong());
  }

  private static void requireObject(JsonNode node, String path) throws ManifestException {
    if (node == null || !node.isObject()) {
      throw new ManifestException(path, "found " + kind(node) + ", expected an object");
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return (text.length() > 80 ? text.substring(0, 77) + "..." : text) + " (" + kind(node) + ")";
  }
}
