package io.edgeai4j.azure.edgehub;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.EdgeHubWire;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The topics and property bags of edgeHub's MQTT module surface, for one module: what it subscribes to, the
 * events topic it publishes on (bag written as the Azure IoT device SDK 2.5.0 writes it) and the input
 * topics edgeHub delivers on (bag read whole, application properties kept). Immutable; thread-safe.
 */
final class EdgeHubTopics {
  static final String METHODS_POST = "$iothub/methods/POST/";
  static final String DESIRED_PATCH = "$iothub/twin/PATCH/properties/desired/";
  static final String TWIN_RESPONSE = "$iothub/twin/res/";

  /** The wire names of system properties on an input's bag, mapped to edgeai4j's names. */
  static final Map<String, String> INBOUND_SYSTEM_PROPERTIES = Map.ofEntries(
      Map.entry("$.mid", SystemProperties.MESSAGE_ID),
      Map.entry("$.cid", SystemProperties.CORRELATION_ID),
      Map.entry("$.uid", SystemProperties.USER_ID),
      Map.entry("$.ct", SystemProperties.CONTENT_TYPE),
      Map.entry("$.ce", SystemProperties.CONTENT_ENCODING),
      Map.entry("$.cdid", SystemProperties.CONNECTION_DEVICE_ID),
      Map.entry("$.cmid", SystemProperties.CONNECTION_MODULE_ID),
      Map.entry("$.on", SystemProperties.OUTPUT_NAME),
      Map.entry("$.ctime", SystemProperties.CREATION_TIME),
      Map.entry("$.schema", SystemProperties.MESSAGE_SCHEMA));

  /** An input message as parsed from its topic and payload. */
  record Input(String inputName, EdgeMessage message) {}

  private final String deviceId;
  private final String moduleId;
  private final String inputsPrefix;
  private final String eventsPrefix;

  EdgeHubTopics(String deviceId, String moduleId) {
    this.deviceId = deviceId;
    this.moduleId = moduleId;
    this.inputsPrefix = "devices/" + deviceId + "/modules/" + moduleId + "/inputs/";
    this.eventsPrefix = "devices/" + deviceId + "/modules/" + moduleId + "/messages/events/";
  }

  /** The four filters the module subscribes to, in the order {@code open} subscribes. */
  String[] subscriptions() {
    return new String[] {inputsPrefix + "#", METHODS_POST + "#", DESIRED_PATCH + "#", TWIN_RESPONSE + "#"};
  }

  boolean isInput(String topic) {
    return topic.startsWith(inputsPrefix);
  }

  /**
   * Returns the events topic for a message sent to an output, with the property bag the SDK 2.5.0 writes
   * ({@code MqttMessaging.send}): system properties first in the order {@code $.mid, $.cid, $.uid, $.on,
   * $.cdid, $.cmid, $.ce, $.ct, $.ctime}, keys raw, then the application properties; values and application
   * keys URL-encoded with a space as {@code %20}; a trailing {@code /}. The message must already be
   * {@link EdgeHubWire#asReceivedByEdgeHub as edgeHub receives it}; one without a message id gets a random one,
   * as from the SDK.
   */
  String eventsTopic(String outputName, EdgeMessage wire) {
    StringBuilder topic = new StringBuilder(eventsPrefix);
    Bag bag = new Bag(topic);
    bag.raw("$.mid", wire.messageId().orElseGet(() -> UUID.randomUUID().toString()));
    bag.raw("$.cid", wire.correlationId().orElse(null));
    bag.raw("$.uid", wire.systemProperty(SystemProperties.USER_ID).orElse(null));
    bag.raw("$.on", outputName);
    bag.raw("$.cdid", deviceId);
    bag.raw("$.cmid", moduleId);
    bag.raw("$.ce", wire.contentEncoding().orElse(null));
    bag.raw("$.ct", wire.contentType().orElse(null));
    bag.raw("$.ctime", wire.systemProperty(SystemProperties.CREATION_TIME).orElse(null));
    for (Map.Entry<String, String> e : wire.properties().entrySet()) {
      if (e.getValue() != null && !e.getValue().isEmpty()) {
        bag.add(encode(e.getKey()), e.getValue());
      }
    }
    return topic.append('/').toString();
  }

  /**
   * Parses a message edgeHub delivered on {@code devices/{d}/modules/{m}/inputs/{input}/{bag}}: the input
   * name from the topic, every property of the bag (split on {@code &}, keys and values URL-decoded, a key
   * without {@code =} kept with a null value), system keys ({@code $.x} or {@code %24.x}) under their
   * {@link SystemProperties} names; a system key with no edgeai4j name keeps its wire name ({@code $.to}).
   *
   * @throws IllegalArgumentException If the topic is not an input topic of this module or names no input.
   */
  Input parseInput(String topic, byte[] payload) {
    if (!isInput(topic)) {
      throw new IllegalArgumentException("Topic '" + topic + "' is not an input topic; expected " + inputsPrefix
          + "<input>/<properties>");
    }
    String rest = topic.substring(inputsPrefix.length());
    int slash = rest.indexOf('/');
    String inputName = slash < 0 ? rest : rest.substring(0, slash);
    if (inputName.isEmpty()) {
      throw new IllegalArgumentException("Topic '" + topic + "' names no input; expected " + inputsPrefix
          + "<input>/<properties>");
    }
    String bag = slash < 0 ? "" : rest.substring(slash + 1);
    if (bag.endsWith("/")) {
      bag = bag.substring(0, bag.length() - 1);
    }
    EdgeMessage.Builder message = EdgeMessage.builder().body(payload);
    if (!bag.isEmpty()) {
      for (String pair : bag.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String key = decode(equals < 0 ? pair : pair.substring(0, equals), topic);
        String value = equals < 0 ? null : decode(pair.substring(equals + 1), topic);
        if (key.startsWith("$.")) {
          String name = INBOUND_SYSTEM_PROPERTIES.getOrDefault(key, key);
          message.systemProperty(name, value);
        } else if (!key.isEmpty()) {
          message.property(key, value);
        }
      }
    }
    message.systemProperty(SystemProperties.INPUT_NAME, inputName);
    return new Input(inputName, message.build());
  }

  /** Returns a {@code name=value} parameter of a topic's query ({@code ?$rid=..&$version=..}), or null. */
  static String parameter(String topic, String name) {
    int query = topic.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : topic.substring(query + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** URL-encodes as the SDK does ({@code URLEncoder}, then {@code +} as {@code %20}). */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String text, String topic) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Topic '" + topic + "' has '" + text + "' in its property bag, which is"
          + " not URL-encoded: " + e.getMessage(), e);
    }
  }

  /** Appends {@code k=v} pairs separated by {@code &}. */
  private static final class Bag {
    private final StringBuilder out;
    private boolean first = true;

    Bag(StringBuilder out) {
      this.out = out;
    }

    void raw(String key, String value) {
      if (value != null && !value.isEmpty()) {
        add(key, value);
      }
    }

    void add(String encodedKey, String value) {
      if (!first) {
        out.append('&');
      }
      first = false;
      out.append(encodedKey).append('=').append(encode(value));
    }
  }
}
