package io.edgeai4j.routing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages and helpers shared by the tests. */
final class Fixtures {
  private Fixtures() {}

  /** Builds a map that may hold null values, from alternating keys and values. */
  static Map<String, String> props(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /**
   * The fixture message: application properties key1, key2, key3, null_value and $sys4; system
   * properties sys1..sys4 and sysnull; telemetry from a leaf device; empty body.
   */
  static final RoutingMessage MESSAGE =
      new RoutingMessage(
          MessageSource.TELEMETRY_PATH,
          props("key1", "value1", "key2", "3", "key3", "VALUE3", "null_value", null, "$sys4", "value4"),
          props(
              "sys1", "sysvalue1", "sys2", "4", "sys3", "SYSVALUE3", "sysnull", null, "sys4",
              "sysvalue4"),
          new byte[0]);

  /** A JSON message from module "sensor", output "out", with the given body and encoding. */
  static RoutingMessage json(String body, String contentEncoding, Charset charset) {
    return new RoutingMessage(
        MessageSource.moduleOutputPath("sensor", "out"),
        Map.of(),
        props("contentType", "application/json", "contentEncoding", contentEncoding),
        body.getBytes(charset));
  }

  /** A UTF-8 JSON message. */
  static RoutingMessage json(String body) {
    return json(body, "utf-8", StandardCharsets.UTF_8);
  }

  /** Parses {@code FROM <source> WHERE <condition> INTO $upstream}. */
  static Route route(String source, String condition) throws RouteException {
    return Route.parse("FROM " + source + " WHERE " + condition + " INTO $upstream");
  }

  /**
   * Evaluates a condition in a {@code FROM /messages} route against a message. (Not {@code
   * /messages/*}: edgeHub's lexer would read a {@code /*} comment from there to the first {@code
   * *}{@code /} in the condition.)
   */
  static TriState evaluate(String condition, RoutingMessage message) throws RouteException {
    return route("/messages", condition).condition().evaluate(message);
  }
}
