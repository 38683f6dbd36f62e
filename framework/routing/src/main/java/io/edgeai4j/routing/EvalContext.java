package io.edgeai4j.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message being routed, prepared for one round of condition evaluation: property lookups that
 * ignore case, as edgeHub's {@code Message} dictionaries do, and the body parsed at most once.
 * Not thread-safe; create one per message and thread.
 */
final class EvalContext {
  private final RoutingMessage message;
  private Map<String, String> properties;
  private Map<String, String> systemProperties;
  private JsonNode body;
  private RuntimeException bodyFailure;

  EvalContext(RoutingMessage message) {
    this.message = message;
  }

  private static Map<String, String> ignoringCase(Map<String, String> source) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> entry : source.entrySet()) {
      map.putIfAbsent(entry.getKey(), entry.getValue());
    }
    return map;
  }

  private Map<String, String> properties() {
    if (properties == null) {
      properties = ignoringCase(message.properties());
    }
    return properties;
  }

  private Map<String, String> systemProperties() {
    if (systemProperties == null) {
      systemProperties = ignoringCase(message.systemProperties());
    }
    return systemProperties;
  }

  /** Whether the message has this application property, ignoring case. */
  boolean hasProperty(String name) {
    return properties().containsKey(name);
  }

  /** The application property's value (possibly null), or the undefined string if absent. */
  String property(String name) {
    Map<String, String> map = properties();
    return map.containsKey(name) ? map.get(name) : Values.UNDEFINED_STRING;
  }

  /** The system property's value (possibly null), or the undefined string if absent. */
  String systemProperty(String name) {
    Map<String, String> map = systemProperties();
    return map.containsKey(name) ? map.get(name) : Values.UNDEFINED_STRING;
  }

  /**
   * Runs a path against the body, as edgeHub's {@code Message.GetQueryValue} does.
   *
   * @throws RuntimeException If the body cannot be queried or the path cannot be evaluated.
   */
  QueryValue queryBody(String path) {
    if (body == null && bodyFailure == null) {
      Map<String, String> system = systemProperties();
      try {
        body =
            MessageBody.parse(
                message.body(),
                system.get("contentType"),
                system.containsKey("contentType"),
                system.get("contentEncoding"),
                system.containsKey("contentEncoding"));
      } catch (MessageBody.BodyException e) {
        bodyFailure = e;
      }
    }
    if (bodyFailure != null) {
      throw bodyFailure;
    }
    return MessageBody.toQueryValue(JsonPathQuery.select(body, path));
  }
}
