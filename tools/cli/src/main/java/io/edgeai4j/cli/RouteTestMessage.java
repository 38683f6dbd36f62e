package io.edgeai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.routing.MessageSource;
import io.edgeai4j.routing.RoutingMessage;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the message JSON of {@code edge route test}: {@code {"source": "/messages/modules/<id>/outputs/<name>",
 * "properties": {...}, "systemProperties": {...}, "body": <any JSON, or a string>}}. A string body is
 * taken as its UTF-8 bytes; any other body as its JSON text. Nothing is added: as on edgeHub, a
 * {@code $body} condition needs {@code systemProperties.contentType} {@code application/json} and
 * {@code contentEncoding} {@code utf-8}.
 *
 * <p>A property (application or system) may be {@code null}: edgeHub stores a key sent with no value in an
 * MQTT property bag ({@code key} or {@code key=}) that way, and its conditions see a String that is null,
 * defined but null ({@code is_defined} and {@code is_null} are true, comparisons are undefined,
 * {@code concat} reads it as empty). That is not the same as leaving the key out, which makes it undefined.
 */
final class RouteTestMessage {
  private static final Set<String> KEYS = Set.of("source", "properties", "systemProperties", "body");

  private RouteTestMessage() {}

  /**
   * Converts message JSON into a routing message.
   *
   * @throws IllegalArgumentException If the JSON is not of that shape, naming what was found.
   */
  static RoutingMessage parse(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("message must be a JSON object with " + KEYS + ", found "
          + kind(json));
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("message has unknown key '" + key
            + "'; expected source, properties, systemProperties and body");
      }
    }
    String source = MessageSource.TELEMETRY_PATH;
    if (json.has("source")) {
      if (!json.get("source").isTextual() || !json.get("source").asText().startsWith("/")) {
        throw new IllegalArgumentException("message 'source' must be a path such as"
            + " /messages/modules/<id>/outputs/<name>, found " + json.get("source"));
      }
      source = json.get("source").asText();
      if (!source.endsWith("/")) {
        source = source + "/";
      }
    }
    Map<String, String> properties = stringMap(json.get("properties"), "properties");
    Map<String, String> system = stringMap(json.get("systemProperties"), "systemProperties");
    byte[] body = new byte[0];
    JsonNode b = json.get("body");
    if (b != null && !b.isMissingNode()) {
      body = (b.isTextual() ? b.asText() : b.toString()).getBytes(StandardCharsets.UTF_8);
    }
    return new RoutingMessage(source, properties, system, body);
  }

  private static Map<String, String> stringMap(JsonNode node, String name) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("message '" + name + "' must be an object, found " + kind(node));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual()) {
        map.put(e.getKey(), v.asText());
      } else if (v.isNull()) {
        map.put(e.getKey(), null);
      } else {
        throw new IllegalArgumentException("message '" + name + "." + e.getKey() + "' must be a string or null"
            + " (properties are strings on IoT Edge; null is a key with no value), found " + v);
      }
    }
    return map;
  }

  private static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
