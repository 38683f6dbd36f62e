package io.edgeai4j.azure;

import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.MessageProperty;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.EdgeHubWire;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts between {@link EdgeMessage} and the SDK's {@link Message}, as they travel over MQTT to and from
 * edgeHub. Stateless apart from the set of warnings already given; thread-safe.
 */
final class MessageConverter {
  private static final Logger LOG = LoggerFactory.getLogger(MessageConverter.class);

  /**
   * System properties that the SDK 2.5.0 does not parse from an input topic and leaves as application
   * properties under their wire names, mapped to edgeai4j's names.
   */
  private static final Map<String, String> WIRE_SYSTEM_PROPERTIES = Map.of(
      "$.cdid", SystemProperties.CONNECTION_DEVICE_ID,
      "$.cmid", SystemProperties.CONNECTION_MODULE_ID,
      "$.ctime", SystemProperties.CREATION_TIME,
      "$.schema", SystemProperties.MESSAGE_SCHEMA);

  private final Set<String> warnedProperties = ConcurrentHashMap.newKeySet();

  /**
   * Builds the SDK message for an outgoing {@link EdgeMessage}.
   *
   * <p>The body goes in as bytes ({@code new Message(String)} would set contentType {@code UTF-8} and break
   * every {@code $body} route). What is sent is {@link EdgeHubWire#asReceivedByEdgeHub}: a JSON message
   * without a content encoding gets {@code utf-8}, application properties whose value is null or empty are
   * not sent, and system properties MQTT cannot carry are not sent (warned once each). A message without a
   * correlation id gets none (the SDK would otherwise invent one); one without a message id keeps the random
   * id the SDK gives it.
   *
   * @param message The message.
   * @param outputName The output, for error messages.
   * @param expiryMillis How long, in milliseconds, the message may wait in the SDK's queue before it is
   *     dropped as expired.
   * @return A new SDK message.
   * @throws IllegalArgumentException If a property cannot be sent: a name the SDK reserves, or a creation
   *     time that is not ISO-8601.
   */
  Message toSdk(EdgeMessage message, String outputName, long expiryMillis) {
    for (String name : EdgeHubWire.systemPropertiesNotSent(message)) {
      if (warnedProperties.add(name)) {
        LOG.warn("System property '{}' is not sent: the Azure IoT device SDK cannot carry it over MQTT"
            + " (warned once per property)", name);
      }
    }
    EdgeMessage wire = EdgeHubWire.asReceivedByEdgeHub(message);
    Message sdk = new Message(wire.body());
    wire.contentType().ifPresent(sdk::setContentType);
    wire.contentEncoding().ifPresent(sdk::setContentEncoding);
    wire.messageId().ifPresent(sdk::setMessageId);
    sdk.setCorrelationId(wire.correlationId().orElse(null));
    wire.systemProperty(SystemProperties.USER_ID).ifPresent(sdk::setUserId);
    wire.systemProperty(SystemProperties.CREATION_TIME)
        .ifPresent(t -> sdk.setCreationTimeUTC(parseCreationTime(outputName, t)));
    for (Map.Entry<String, String> e : wire.properties().entrySet()) {
      try {
        sdk.setProperty(e.getKey(), e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("Message for output '" + outputName + "' has application property '"
            + e.getKey() + "', which the Azure IoT device SDK refuses: " + ex.getMessage().trim(), ex);
      }
    }
    sdk.setExpiryTime(expiryMillis);
    return sdk;
  }

  /**
   * Builds the {@link EdgeMessage} for a message edgeHub delivered to an input.
   *
   * <p>The sender's module id comes from the wire property {@code $.cmid}; the SDK's own
   * {@code getConnectionModuleId()} holds the receiving module's id, taken from the topic, and is ignored.
   *
   * @param sdk The SDK message.
   * @param inputName The input it arrived on.
   * @return The message, with {@code inputName} set.
   */
  EdgeMessage fromSdk(Message sdk, String inputName) {
    byte[] body = sdk.getBytes();
    EdgeMessage.Builder builder = EdgeMessage.builder().body(body == null ? new byte[0] : body);
    for (MessageProperty property : sdk.getProperties()) {
      String systemName = WIRE_SYSTEM_PROPERTIES.get(property.getName());
      if (systemName != null) {
        builder.systemProperty(systemName, property.getValue());
      } else {
        builder.property(property.getName(), property.getValue());
      }
    }
    builder.systemProperty(SystemProperties.MESSAGE_ID, emptyToNull(sdk.getMessageId()));
    builder.systemProperty(SystemProperties.CORRELATION_ID, emptyToNull(sdk.getCorrelationId()));
    builder.systemProperty(SystemProperties.CONTENT_TYPE, emptyToNull(sdk.getContentType()));
    builder.systemProperty(SystemProperties.CONTENT_ENCODING, emptyToNull(sdk.getContentEncoding()));
    builder.systemProperty(SystemProperties.OUTPUT_NAME, emptyToNull(sdk.getOutputName()));
    builder.systemProperty(SystemProperties.INPUT_NAME, inputName);
    return builder.build();
  }

  /**
   * Parses an ISO-8601 creation time, truncated to whole seconds: the SDK 2.5.0 writes the fraction with
   * {@code SimpleDateFormat}'s {@code SSSSSSS}, which turns 123 ms into {@code .0000123}.
   */
  private static Date parseCreationTime(String outputName, String value) {
    try {
      return Date.from(Instant.parse(value).truncatedTo(ChronoUnit.SECONDS));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Message for output '" + outputName + "' has creationTime '" + value
          + "', expected ISO-8601 UTC such as 2024-05-01T12:00:00Z", e);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
