package io.edgeai4j.ingestion.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeai4j.ingestion.source.Reading;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * Turns one MQTT message into readings, one per mapped field of every subscription whose filter
 * matches the topic. Never throws for a bad payload and never drops a field: a value it cannot read
 * becomes a reading with a null value and the reason in the property {@value #ERROR}, which the
 * module's validation sends to the dead-letter output. Immutable; thread-safe.
 *
 * <p>Values: a JSON integer that fits a {@code long} becomes a {@link Long}, any other number a
 * {@link Double} ({@code NaN} and {@code Infinity} are accepted and passed on for validation to
 * reject), a boolean a {@link Boolean}, a string a {@link String}.
 */
final class PayloadMapper {
  /** Message property: the topic the message came on. */
  static final String TOPIC = "mqttTopic";
  /** Message property: why the value is null. */
  static final String ERROR = "mqttError";
  /** Message property, {@code "true"} only: the broker kept the message and sent it on subscription. */
  static final String RETAINED = "mqttRetained";
  /** Message property: why the reading carries its arrival time, not the payload's timestamp. */
  static final String TIMESTAMP_ERROR = "mqttTimestampError";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private record Field(SensorNameTemplate sensor, FieldMapping mapping) {}

  private record Route(String topicFilter, List<Field> fields, JsonPointer timestampPath) {}

  /** A value read at a pointer: exactly one of value and error is non-null, or neither for JSON null. */
  private record Extracted(Object value, String error) {}

  private final List<Route> routes = new ArrayList<>();

  PayloadMapper(MqttSourceSettings settings) {
    for (MqttSubscription subscription : settings.subscriptions().values()) {
      List<Field> fields = new ArrayList<>();
      List<SensorNameTemplate> names = subscription.sensorNames();
      List<FieldMapping> mappings = List.copyOf(subscription.fields().values());
      for (int i = 0; i < names.size(); i++) {
        fields.add(new Field(names.get(i), mappings.get(i)));
      }
      routes.add(new Route(subscription.topic(), List.copyOf(fields), subscription.timestampPath()));
    }
  }

  /** Whether any subscription's filter matches {@code topic}. */
  boolean matches(String topic) {
    return routes.stream().anyMatch(route -> MqttTopic.isMatched(route.topicFilter(), topic));
  }

  /**
   * Maps one message.
   *
   * @param topic The topic it came on.
   * @param payload Its payload, JSON in UTF-8 (or UTF-16/32, detected).
   * @param arrival When it arrived: the timestamp of readings without one of their own.
   * @param retained Whether the broker kept it (a last known value, sent when the source subscribed).
   * @return The readings, in subscription and field order; empty when no filter matches the topic.
   */
  List<Reading> map(String topic, byte[] payload, Instant arrival, boolean retained) {
    List<Reading> readings = new ArrayList<>();
    JsonNode document = null;
    String parseError = null;
    String[] levels = topic.split("/", -1);
    for (Route route : routes) {
      if (!MqttTopic.isMatched(route.topicFilter(), topic)) {
        continue;
      }
      if (document == null && parseError == null) {
        try {
          document = parse(payload);
        } catch (IOException e) {
          parseError = "payload is not JSON: " + describe(e);
        }
      }
      Instant timestamp = arrival;
      String timestampError = null;
      if (document != null && route.timestampPath() != null) {
        try {
          timestamp = timestamp(document.at(route.timestampPath()), route.timestampPath());
        } catch (IllegalArgumentException e) {
          timestampError = e.getMessage();
        }
      }
      for (Field field : route.fields()) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TOPIC, topic);
        if (retained) {
          properties.put(RETAINED, "true");
        }
        if (timestampError != null) {
          properties.put(TIMESTAMP_ERROR, timestampError);
        }
        Object value = null;
        String unit = field.mapping().unit();
        if (document == null) {
          properties.put(ERROR, parseError);
        } else {
          Extracted extracted = value(document.at(field.mapping().path()), field.mapping().path());
          value = extracted.value();
          if (extracted.error() != null) {
            properties.put(ERROR, extracted.error());
          }
          unit = unit(document, field.mapping());
        }
        readings.add(new Reading(field.sensor().resolve(levels), timestamp, value, unit, properties));
      }
    }
    return readings;
  }

  private static JsonNode parse(byte[] payload) throws IOException {
    if (payload.length == 0) {
      throw new IOException("the payload is empty");
    }
    return JSON.readTree(payload);
  }

  private static String describe(IOException e) {
    if (e instanceof JsonProcessingException json && json.getLocation() != null) {
      return json.getOriginalMessage() + " at line " + json.getLocation().getLineNr() + ", column "
          + json.getLocation().getColumnNr();
    }
    return e.getMessage();
  }

  private static Extracted value(JsonNode node, JsonPointer path) {
    if (node.isMissingNode()) {
      return new Extracted(null, "no value at " + path(path));
    }
    if (node.isNull()) {
      return new Extracted(null, "null at " + path(path));
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return new Extracted(node.longValue(), null);
    }
    if (node.isNumber()) {
      return new Extracted(node.doubleValue(), null);
    }
    if (node.isBoolean()) {
      return new Extracted(node.booleanValue(), null);
    }
    if (node.isTextual()) {
      return new Extracted(node.textValue(), null);
    }
    return new Extracted(null, "found " + kind(node) + " at " + path(path) + ", expected a number, boolean or string");
  }

  private static String unit(JsonNode document, FieldMapping mapping) {
    if (mapping.unitPath() != null) {
      JsonNode unit = document.at(mapping.unitPath());
      if (unit.isTextual() && !unit.textValue().isBlank()) {
        return unit.textValue();
      }
    }
    return mapping.unit();
  }

  /**
   * Reads a timestamp: an ISO-8601 instant (with Z or an offset) or a number of milliseconds since the
   * epoch (fractions are kept to the nanosecond).
   *
   * @throws IllegalArgumentException If there is none or it cannot be read; the message says why.
   */
  static Instant timestamp(JsonNode node, JsonPointer path) {
    try {
      if (node.isTextual()) {
        return Instant.parse(node.textValue());
      }
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return Instant.ofEpochMilli(node.longValue());
      }
      if (node.isNumber() && Double.isFinite(node.doubleValue())) {
        BigDecimal nanos = node.decimalValue().movePointRight(6);
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000));
        return Instant.ofEpochSecond(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
      }
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("cannot read the timestamp " + node + " at " + path(path) + " ("
          + e.getMessage() + "); expected an ISO-8601 instant such as \"2024-05-01T10:00:00.250Z\" or epoch"
          + " milliseconds; the reading carries its arrival time", e);
    }
    String found = node.isMissingNode() ? "no timestamp" : "found " + kind(node) + " " + node;
    throw new IllegalArgumentException(found + " at " + path(path) + ", expected an ISO-8601 instant such as"
        + " \"2024-05-01T10:00:00.250Z\" or epoch milliseconds; the reading carries its arrival time");
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a string";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String path(JsonPointer path) {
    String text = path.toString();
    return text.isEmpty() ? "the payload root" : text;
  }
}
