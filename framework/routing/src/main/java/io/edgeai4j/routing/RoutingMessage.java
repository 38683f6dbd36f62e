package io.edgeai4j.routing;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message as the router sees it.
 *
 * <p>Application properties may have null values. System properties are keyed by edgeHub's names:
 * {@code messageId}, {@code correlationId}, {@code contentType}, {@code contentEncoding}, {@code
 * connectionDeviceId}, {@code connectionModuleId}, {@code outputName}, {@code inputName}, {@code
 * messageType} and so on. Route conditions look both up ignoring case; when two keys differ only
 * in case, which one a condition sees is unspecified (edgeHub rejects such a message).
 *
 * <p>The maps are copied and unmodifiable. The body array is not copied: the caller must not
 * change it afterwards. Equality compares the body's contents.
 *
 * @param sourcePath The source path as edgeHub computes it, e.g. {@code
 *     /messages/modules/sensor/outputs/temperature/}, {@code /messages/} or {@code
 *     /twinChangeNotifications/}; see {@link MessageSource#sourcePathFor(Map)}.
 * @param properties The application properties; null means none.
 * @param systemProperties The system properties; null means none.
 * @param body The body; null means empty.
 */
public record RoutingMessage(
    String sourcePath,
    Map<String, String> properties,
    Map<String, String> systemProperties,
    byte[] body) {

  private static final byte[] EMPTY = new byte[0];

  /**
   * Copies the maps and defaults nulls.
   *
   * @param sourcePath The source path.
   * @param properties The application properties; null means none.
   * @param systemProperties The system properties; null means none.
   * @param body The body; null means empty.
   * @throws NullPointerException If {@code sourcePath} or a property name is null.
   */
  public RoutingMessage {
    Objects.requireNonNull(sourcePath, "sourcePath");
    properties = copy(properties);
    systemProperties = copy(systemProperties);
    body = body == null ? EMPTY : body;
  }

  private static Map<String, String> copy(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>(map);
    if (copy.containsKey(null)) {
      throw new NullPointerException("property names cannot be null");
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Creates a message whose source path is computed from its system properties by {@link
   * MessageSource#sourcePathFor(Map)}.
   *
   * @param properties The application properties; null means none.
   * @param systemProperties The system properties; null means none.
   * @param body The body; null means empty.
   * @return The message.
   */
  public static RoutingMessage of(
      Map<String, String> properties, Map<String, String> systemProperties, byte[] body) {
    Map<String, String> system = systemProperties == null ? Map.of() : systemProperties;
    return new RoutingMessage(MessageSource.sourcePathFor(system), properties, system, body);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RoutingMessage m
        && sourcePath.equals(m.sourcePath)
        && properties.equals(m.properties)
        && systemProperties.equals(m.systemProperties)
        && Arrays.equals(body, m.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourcePath, properties, systemProperties, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "RoutingMessage[sourcePath="
        + sourcePath
        + ", properties="
        + properties
        + ", systemProperties="
        + systemProperties
        + ", body="
        + body.length
        + " bytes]";
  }
}
