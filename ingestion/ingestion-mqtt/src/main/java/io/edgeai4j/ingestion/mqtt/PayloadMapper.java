package io.edgeai4j.ingestion.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttTopic;

/**
 * Turns one MQTT message into readings and sample blocks, one per mapped field of every subscription
 * whose filter matches the topic. Never throws for a bad payload and never drops a field: a value it
 * cannot read becomes a reading with a null value and the reason in the property {@value #ERROR},
 * which the module's validation sends to the dead-letter output. Immutable; thread-safe.
 *
 * <p>Values: a JSON integer that fits a {@code long} becomes a {@link Long}, any other number a
 * {@link Double} ({@code NaN} and {@code Infinity} are accepted and passed on for validation to
 * reject), a boolean a {@link Boolean}, a string a {@link String}. An array of numbers becomes a
 * {@link SampleBlock} (see {@link JsonArrays}): its first sample at the reading's timestamp, spaced by
 * the sensor's configured sample rate; {@value #TIMESTAMP_SOURCE} says where that timestamp came from.
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
  /**
   * Message property of a block: {@code payload} when its start is the payload's timestamp, {@code arrival}
   * when it is the message's arrival time (no {@code timestampPath}, or none readable).
   */
  static final String TIMESTAMP_SOURCE = "mqttTimestampSource";

  /** The readings and blocks of one message, each in subscription and field order. */
  record Mapped(List<Reading> readings, List<SampleBlock> blocks) {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private record Field(SensorNameTemplate sensor, FieldMapping mapping) {}

  private record Route(String topicFilter, List<Field> fields, JsonPointer timestampPath) {}

  /** A value read at a pointer: exactly one of value and error is non-null, or neither for JSON null. */
  private record Extracted(Object value, String error) {}

  private final List<Route> routes = new ArrayList<>();
  private final Function<String, OptionalDouble> sampleRates;

  /**
   * Creates a mapper.
   *
   * @param settings The source's settings.
   * @param sampleRates The configured sample rate of a sensor, for arrays; thread-safe.
   */
  PayloadMapper(MqttSourceSettings settings, Function<String, OptionalDouble> sampleRates) {
    this.sampleRates = sampleRates;
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
   * @return The readings and blocks; none when no filter matches the topic.
   */
  Mapped map(String topic, byte[] payload, Instant arrival, boolean retained) {
    List<Reading> readings = new ArrayList<>();
    List<SampleBlock> blocks = new ArrayList<>();
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
        String sensor = field.sensor().resolve(levels);
        if (document == null) {
          properties.put(ERROR, parseError);
        } else {
          JsonNode node = document.at(field.mapping().path());
          unit = unit(document, field.mapping());
          if (node.isArray()) {
            properties.put(TIMESTAMP_SOURCE, route.timestampPath() != null && timestampError == null ? "payload"
                : "arrival");
            SampleBlock block = block(sensor, node, field.mapping().path(), timestamp, unit, properties);
            if (block != null) {
              blocks.add(block);
              continue;
            }
          } else {
            Extracted extracted = value(node, field.mapping().path());
            value = extracted.value();
            if (extracted.error() != null) {
              properties.put(ERROR, extracted.error());
            }
          }
        }
        readings.add(new Reading(sensor, timestamp, value, unit, properties));
      }
    }
    return new Mapped(readings, blocks);
  }

  /** The block of an array, or null with the reason put in {@code properties}. */
  private SampleBlock block(String sensor, JsonNode array, JsonPointer path, Instant start, String unit,
      Map<String, String> properties) {
    JsonArrays.Samples samples = JsonArrays.samples(array, path(path));
    if (samples.error() != null) {
      properties.put(ERROR, samples.error());
      return null;
    }
    OptionalDouble rate = sampleRates.apply(sensor);
    if (rate.isEmpty()) {
      properties.put(ERROR, "an array of " + samples.values().length + " samples at " + path(path)
          + " needs a sample rate to become a block; set sensors." + sensor + ".sampleRateHz in the module twin");
      return null;
    }
    return new SampleBlock(sensor, start, rate.getAsDouble(), samples.values(), unit, properties);
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
