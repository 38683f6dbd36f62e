package io.edgeai4j.ingestion.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.validation.Rejection;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.signal.Features;
import io.edgeai4j.signal.FrequencyBand;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the module's messages: JSON bodies with {@code contentType application/json} and
 * {@code contentEncoding utf-8} (so {@code $body} routes can read them), and message properties
 * {@code sensor}, {@code source} plus whatever the source attached (e.g. the simulator's {@code label}).
 * Stateless; thread-safe.
 */
final class MessageFactory {
  /** Dead letters of blocks carry at most this many samples, so the message stays under 256 KB. */
  static final int MAX_DEAD_LETTER_SAMPLES = 8192;
  /** Blocks sent on {@code readings} are cut into messages of at most this many samples. */
  static final int MAX_SAMPLES_PER_MESSAGE = 4096;
  private static final int MAX_PROPERTY_CHARS = 512;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private MessageFactory() {}

  static OutgoingMessage reading(String source, Reading reading, String unit) {
    ObjectNode body = header(reading.sensor(), source, unit);
    body.put("timestamp", reading.timestamp().toString());
    putValue(body, "value", reading.value());
    return message(Outputs.READINGS, body, reading.sensor(), source, reading.properties(), null);
  }

  static OutgoingMessage samples(String source, SampleBlock block, String unit, int from, int to) {
    ObjectNode body = header(block.sensor(), source, unit);
    body.put("start", block.timeOf(from).toString());
    body.put("sampleRateHz", block.sampleRateHz());
    body.set("values", array(block.values(), from, to));
    return message(Outputs.READINGS, body, block.sensor(), source, block.properties(), null);
  }

  static OutgoingMessage features(String source, String sensor, String unit, Instant start, Instant end,
      double sampleRateHz, int samples, Features features, List<FrequencyBand> bands, String bandsError,
      Map<String, String> properties) {
    ObjectNode body = header(sensor, source, unit);
    body.put("windowStart", start.toString());
    body.put("windowEnd", end.toString());
    body.put("samples", samples);
    if (sampleRateHz > 0) {
      body.put("sampleRateHz", sampleRateHz);
    }
    putNumber(body, "mean", features.mean());
    putNumber(body, "rms", features.rms());
    putNumber(body, "peak", features.peak());
    putNumber(body, "peakToPeak", features.peakToPeak());
    putNumber(body, "crestFactor", features.crestFactor());
    putNumber(body, "kurtosis", features.kurtosis());
    putNumber(body, "skewness", features.skewness());
    if (!bands.isEmpty()) {
      ObjectNode energies = body.putObject("bands");
      double[] values = features.bandEnergies();
      for (int i = 0; i < bands.size(); i++) {
        putNumber(energies, bands.get(i).name(), values[i]);
      }
    }
    if (bandsError != null) {
      body.put("bandsError", bandsError);
    }
    return message(Outputs.FEATURES, body, sensor, source, properties, null);
  }

  static OutgoingMessage window(String source, String sensor, String unit, Instant start, Instant end,
      double sampleRateHz, double[] window, Map<String, String> properties) {
    ObjectNode body = header(sensor, source, unit);
    body.put("windowStart", start.toString());
    body.put("windowEnd", end.toString());
    if (sampleRateHz > 0) {
      body.put("sampleRateHz", sampleRateHz);
    }
    body.set("values", array(window, 0, window.length));
    return message(Outputs.WINDOWS, body, sensor, source, properties, null);
  }

  static OutgoingMessage deadLetter(String source, Reading reading, Rejection rejection) {
    ObjectNode body = header(reading.sensor(), source, reading.unit());
    body.put("check", rejection.check().label());
    body.put("reason", rejection.reason());
    body.put("timestamp", reading.timestamp().toString());
    putValue(body, "value", reading.value());
    if (!reading.properties().isEmpty()) {
      body.set("properties", MAPPER.valueToTree(reading.properties()));
    }
    return message(Outputs.DEADLETTER, body, reading.sensor(), source, reading.properties(), rejection);
  }

  static OutgoingMessage deadLetter(String source, SampleBlock block, Rejection rejection) {
    ObjectNode body = header(block.sensor(), source, block.unit());
    body.put("check", rejection.check().label());
    body.put("reason", rejection.reason());
    body.put("start", block.start().toString());
    body.put("sampleRateHz", block.sampleRateHz());
    body.put("samples", block.size());
    int kept = Math.min(block.size(), MAX_DEAD_LETTER_SAMPLES);
    body.set("values", array(block.values(), 0, kept));
    if (kept < block.size()) {
      body.put("valuesTruncatedTo", kept);
    }
    if (!block.properties().isEmpty()) {
      body.set("properties", MAPPER.valueToTree(block.properties()));
    }
    return message(Outputs.DEADLETTER, body, block.sensor(), source, block.properties(), rejection);
  }

  private static ObjectNode header(String sensor, String source, String unit) {
    ObjectNode body = JSON.objectNode();
    body.put("sensor", sensor);
    body.put("source", source);
    if (unit != null) {
      body.put("unit", unit);
    }
    return body;
  }

  private static ArrayNode array(double[] values, int from, int to) {
    ArrayNode array = JSON.arrayNode(to - from);
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (Double.isFinite(v)) {
        array.add(v);
      } else {
        array.add(Double.toString(v));  // NaN and Infinity are not JSON numbers; keep them visible as text.
      }
    }
    return array;
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static void putValue(ObjectNode node, String field, Object value) {
    if (value == null) {
      node.putNull(field);
    } else if (value instanceof Double d) {
      if (Double.isFinite(d)) {
        node.put(field, d);
      } else {
        node.put(field, d.toString());
      }
    } else if (value instanceof Long l) {
      node.put(field, l);
    } else if (value instanceof Boolean b) {
      node.put(field, b);
    } else {
      node.put(field, truncate(value.toString()));  // Text where a number belongs: enough to see what it was.
    }
  }

  private static OutgoingMessage message(String output, ObjectNode body, String sensor, String source,
      Map<String, String> properties, Rejection rejection) {
    EdgeMessage.Builder builder = EdgeMessage.builder().jsonBody(body.toString());
    for (Map.Entry<String, String> p : properties.entrySet()) {
      if (p.getValue() != null && !p.getKey().isEmpty()) {
        builder.property(p.getKey(), truncate(p.getValue()));
      }
    }
    builder.property("sensor", sensor).property("source", source);
    if (rejection != null) {
      builder.property("check", rejection.check().label()).property("reason", truncate(rejection.reason()));
    }
    return new OutgoingMessage(output, builder.build());
  }

  private static String truncate(String text) {
    return text.length() <= MAX_PROPERTY_CHARS ? text : text.substring(0, MAX_PROPERTY_CHARS - 3) + "...";
  }
}
