package io.edgeai4j.module.spi;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What edgeHub receives when a module sends a message over MQTT with the Azure IoT device SDK 2.5: the one
 * place edgeai4j states it, so that the Azure transport sends it and the local runtime routes exactly what
 * edgeHub would route. Stateless and thread-safe.
 *
 * <ul>
 *   <li>A JSON content type without an encoding gets {@code utf-8} (without it every {@code $body}
 *       condition is undefined).
 *   <li>Application properties whose value is null or empty are not sent: the SDK's MQTT transport leaves
 *       them out of the topic ({@code MqttMessaging.appendPropertyIfPresent}), so edgeHub never has them.
 *       (edgeHub itself would store a key that arrives with no value, {@code k} or {@code k=}, as a defined
 *       null; {@code edge route test} evaluates such messages from other clients.)
 *   <li>Of the system properties only {@link #CARRIED_SYSTEM_PROPERTIES} travel; those in
 *       {@link #SET_BY_HUB} are the hub's to set, and any other is not sent.
 * </ul>
 */
public final class EdgeHubWire {
  /** The system properties a module's message carries over MQTT. */
  public static final Set<String> CARRIED_SYSTEM_PROPERTIES = Set.of(
      SystemProperties.MESSAGE_ID,
      SystemProperties.CORRELATION_ID,
      SystemProperties.USER_ID,
      SystemProperties.CONTENT_TYPE,
      SystemProperties.CONTENT_ENCODING,
      SystemProperties.CREATION_TIME);

  /** The system properties a module cannot set on an outgoing message: the SDK or the hub sets them. */
  public static final Set<String> SET_BY_HUB = Set.of(
      SystemProperties.CONNECTION_DEVICE_ID,
      SystemProperties.CONNECTION_MODULE_ID,
      SystemProperties.OUTPUT_NAME,
      SystemProperties.INPUT_NAME,
      SystemProperties.ENQUEUED_TIME);

  private EdgeHubWire() {}

  /**
   * Returns the message as edgeHub receives it from a module.
   *
   * @param message The message the module sent.
   * @return The message edgeHub routes; the same instance when nothing changes.
   */
  public static EdgeMessage asReceivedByEdgeHub(EdgeMessage message) {
    String contentType = message.contentType().orElse(null);
    boolean addEncoding = contentType != null && isJson(contentType) && message.contentEncoding().isEmpty();
    boolean dropsProperties = message.properties().values().stream().anyMatch(v -> v == null || v.isEmpty());
    boolean dropsSystem = !message.systemProperties().keySet().stream()
        .allMatch(CARRIED_SYSTEM_PROPERTIES::contains);
    if (!addEncoding && !dropsProperties && !dropsSystem) {
      return message;
    }
    EdgeMessage.Builder wire = EdgeMessage.builder().body(message.body());
    Map<String, String> properties = new LinkedHashMap<>();
    message.properties().forEach((k, v) -> {
      if (v != null && !v.isEmpty()) {
        properties.put(k, v);
      }
    });
    wire.properties(properties);
    message.systemProperties().forEach((k, v) -> {
      if (CARRIED_SYSTEM_PROPERTIES.contains(k)) {
        wire.systemProperty(k, v);
      }
    });
    if (addEncoding) {
      wire.contentEncoding(SystemProperties.UTF_8);
    }
    return wire.build();
  }

  /**
   * Returns the system properties of a message that a module set but that do not travel over MQTT
   * (neither carried nor set by the hub), for a warning.
   */
  public static Set<String> systemPropertiesNotSent(EdgeMessage message) {
    Set<String> dropped = new TreeSet<>();
    for (String name : message.systemProperties().keySet()) {
      if (!CARRIED_SYSTEM_PROPERTIES.contains(name) && !SET_BY_HUB.contains(name)) {
        dropped.add(name);
      }
    }
    return dropped;
  }

  /**
   * Says whether a content type is JSON: {@code application/json}, any case, with or without parameters.
   *
   * @param contentType The content type.
   * @return True for JSON.
   */
  public static boolean isJson(String contentType) {
    String mediaType = contentType;
    int parameters = mediaType.indexOf(';');
    if (parameters >= 0) {
      mediaType = mediaType.substring(0, parameters);
    }
    return mediaType.trim().toLowerCase(Locale.ROOT).equals(SystemProperties.APPLICATION_JSON);
  }
}
