package io.edgeai4j.edgehub.wire;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Converts between edgeHub's property bags and {@link EdgeMessage}s, as edgeHub's
 * {@code ProtocolGatewayMessageConverter} does. Stateless.
 *
 * <p>Inbound (a module's publish): the bag keys of {@link #INCOMING} become system properties, {@code $.on} is the
 * output name, the keys the hub sets itself ({@link #SET_BY_HUB}: the sender's identity, SDK-internal ids) are
 * dropped, and every other key is an application property. Outbound (an input delivery): application properties
 * first, then the system properties of {@link #OUTGOING} under their wire names, in that order.
 */
public final class ModuleMessages {
  /** Wire key to {@link SystemProperties} name of the system properties a module's message carries. */
  public static final Map<String, String> INCOMING = Map.of(
      "$.mid", SystemProperties.MESSAGE_ID,
      "$.cid", SystemProperties.CORRELATION_ID,
      "$.uid", SystemProperties.USER_ID,
      "$.ct", SystemProperties.CONTENT_TYPE,
      "$.ce", SystemProperties.CONTENT_ENCODING,
      "$.ctime", SystemProperties.CREATION_TIME,
      "$.schema", SystemProperties.MESSAGE_SCHEMA);

  /** The wire key of the output name. */
  public static final String OUTPUT_NAME_KEY = "$.on";

  /** Wire keys a module may send that the hub sets or ignores: never application properties. */
  public static final Set<String> SET_BY_HUB =
      Set.of("$.cdid", "$.cmid", "$.to", "$.exp", "$.ifid", "$.sub", "iothub-ack");

  /** {@link SystemProperties} name to wire key of what edgeHub sends a module, in the order they are written. */
  public static final Map<String, String> OUTGOING = outgoing();

  private ModuleMessages() {}

  private static Map<String, String> outgoing() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SystemProperties.MESSAGE_ID, "$.mid");
    m.put(SystemProperties.CORRELATION_ID, "$.cid");
    m.put(SystemProperties.USER_ID, "$.uid");
    m.put(SystemProperties.CONTENT_TYPE, "$.ct");
    m.put(SystemProperties.CONTENT_ENCODING, "$.ce");
    m.put(SystemProperties.MESSAGE_SCHEMA, "$.schema");
    m.put(SystemProperties.CREATION_TIME, "$.ctime");
    m.put(SystemProperties.CONNECTION_DEVICE_ID, "$.cdid");
    m.put(SystemProperties.CONNECTION_MODULE_ID, "$.cmid");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * A module's message as the hub receives it.
   *
   * @param outputName The output it was sent on ({@code $.on}), or null for plain telemetry.
   * @param message The message: body, application and system properties.
   */
  public record ModuleEvent(String outputName, EdgeMessage message) {}

  /**
   * Builds the message a module published.
   *
   * @param bag The decoded property bag ({@link PropertyBag#decode}).
   * @param body The payload.
   * @return The output name and the message.
   */
  public static ModuleEvent decodeEvent(Map<String, String> bag, byte[] body) {
    EdgeMessage.Builder message = EdgeMessage.builder().body(body);
    String output = null;
    for (Map.Entry<String, String> e : bag.entrySet()) {
      String key = e.getKey();
      String system = INCOMING.get(key);
      if (system != null) {
        message.systemProperty(system, e.getValue());
      } else if (key.equals(OUTPUT_NAME_KEY)) {
        output = e.getValue() == null || e.getValue().isEmpty() ? null : e.getValue();
      } else if (!SET_BY_HUB.contains(key)) {
        message.property(key, e.getValue());
      }
    }
    return new ModuleEvent(output, message.build());
  }

  /**
   * Writes the bag edgeHub sends with an input: application properties first, then system properties.
   *
   * @param message The message the hub delivers.
   * @return The entries, in order, not yet escaped.
   */
  public static Map<String, String> inputBag(EdgeMessage message) {
    Map<String, String> bag = new LinkedHashMap<>(message.properties());
    OUTGOING.forEach((name, wire) -> message.systemProperty(name).ifPresent(v -> bag.put(wire, v)));
    return bag;
  }
}
