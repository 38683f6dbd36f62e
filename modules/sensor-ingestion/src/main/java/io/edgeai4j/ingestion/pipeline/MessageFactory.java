package io.edgeai4j.ingestion.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
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
  /** A dead letter's example block keeps at most this many samples (two examples a message, small in memory). */
  static final int MAX_DEAD_LETTER_SAMPLES = 1024;
  /** Blocks sent on {@code readings} are cut into messages of at most this many samples. */
  static final int MAX_SAMPLES_PER_MESSAGE = 4096;
  /** Text values and properties are cut to this many characters. */
  static final int MAX_PROPERTY_CHARS = 512;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private MessageFactory() {}

  static OutgoingMessage reading(String source, Reading reading, String unit) {
    ObjectNode body = header(reading.sensor(), source, unit);
    body.put("timestamp", reading.timestamp().toString());
    putValue(body, "value", reading.value());
    return message(Outputs.READINGS, body, reading.sensor(), source, reading.properties());
  }

  static OutgoingMessage samples(String source, SampleBlock block, String unit, int from, int to) {
    ObjectNode body = header(block.sensor(), source, unit);
    body.put("start", block.timeOf(from).toString());
    body.put("sampleRateHz", block.sampleRateHz());
    body.set("values", array(block.values(), from, to));
    return message(Outputs.READINGS, body, block.sensor(), source, block.properties());
  }

  static OutgoingMessage features(String source, String sensor, String unit, Instant start, Instant end,
      double sampleRateHz, int samples, Features features, List<FrequencyBand> bands, String bandsError,
      WindowTiming timing, Map<String, String> properties) {
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
    if (timing != null) {
      ObjectNode node = body.putObject("timing");
      putNumber(node, "meanSpacingMs", timing.meanSpacingMs());
      if (timing.periodMs() != null) {
        node.put("periodMs", timing.periodMs());
        node.put("toleranceMs", timing.toleranceMs());
        node.put("jitterMaxMs", timing.jitterMaxMs());
        node.put("early", timing.early());
        node.put("late", timing.late());
        node.put("gaps", timing.gaps());
        node.put("missingSamples", timing.missingSamples());
      }
      node.put("outOfOrder", timing.outOfOrder());
    }
    return message(Outputs.FEATURES, body, sensor, source, properties);
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
    return message(Outputs.WINDOWS, body, sensor, source, properties);
  }

  /**
   * The message of one sensor, check and source over one interval: {@code count} dead letters (readings or blocks),
   * {@code samples} in them, the first and the last as examples.
   */
  static OutgoingMessage deadLetters(String sensor, String source, DeadLetterAggregator.Entry entry, Instant end) {
    ObjectNode body = JSON.objectNode();
    body.put("sensor", sensor);
    body.put("source", source);
    body.put("check", entry.first.rejection().check().label());
    intervalFields(body, entry, end);
    body.set("firstExample", example(entry.first, false));
    body.set("lastExample", example(entry.last, false));
    EdgeMessage.Builder builder = EdgeMessage.builder().jsonBody(body.toString())
        .property("sensor", sensor).property("source", source)
        .property("check", entry.first.rejection().check().label())
        .property("reason", truncate(entry.first.rejection().reason()));
    return new OutgoingMessage(Outputs.DEADLETTER, builder.build());
  }

  /** The overflow message of one interval: dead letters of keys past the limit; examples name their key. */
  static OutgoingMessage deadLetterOverflow(DeadLetterAggregator.Entry entry, Instant end) {
    ObjectNode body = JSON.objectNode();
    body.put("overflow", true);
    intervalFields(body, entry, end);
    body.set("firstExample", example(entry.first, true));
    body.set("lastExample", example(entry.last, true));
    EdgeMessage.Builder builder = EdgeMessage.builder().jsonBody(body.toString()).property("overflow", "true");
    return new OutgoingMessage(Outputs.DEADLETTER, builder.build());
  }

  private static void intervalFields(ObjectNode body, DeadLetterAggregator.Entry entry, Instant end) {
    body.put("count", entry.count);
    body.put("samples", entry.samples);
    body.put("intervalStart", entry.start.toString());
    body.put("intervalEnd", end.toString());
  }

  private static ObjectNode example(DeadLetter letter, boolean withKey) {
    ObjectNode node = JSON.objectNode();
    if (withKey) {
      node.put("sensor", letter.sensor());
      node.put("source", letter.source());
      node.put("check", letter.rejection().check().label());
    }
    node.put("receivedAt", letter.receivedAt().toString());
    node.put("reason", truncate(letter.rejection().reason()));
    if (letter.reading() != null) {
      Reading reading = letter.reading();
      if (reading.unit() != null) {
        node.put("unit", reading.unit());
      }
      node.put("timestamp", reading.timestamp().toString());
      putValue(node, "value", reading.value());
      putProperties(node, reading.properties());
    } else {
      SampleBlock block = letter.block();
      if (block.unit() != null) {
        node.put("unit", block.unit());
      }
      node.put("start", block.start().toString());
      node.put("sampleRateHz", block.sampleRateHz());
      node.put("samples", letter.samples());
      node.set("values", array(block.values(), 0, block.size()));
      if (block.size() < letter.samples()) {
        node.put("valuesTruncatedTo", block.size());
      }
      putProperties(node, block.properties());
    }
    return node;
  }

  private static void putProperties(ObjectNode node, Map<String, String> properties) {
    if (!properties.isEmpty()) {
      ObjectNode target = node.putObject("properties");
      properties.forEach((k, v) -> target.put(k, v == null ? null : truncate(v)));
    }
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
      Map<String, String> properties) {
    EdgeMessage.Builder builder = EdgeMessage.builder().jsonBody(body.toString());
    for (Map.Entry<String, String> p : properties.entrySet()) {
      if (p.getValue() != null && !p.getKey().isEmpty()) {
        builder.property(p.getKey(), truncate(p.getValue()));
      }
    }
    builder.property("sensor", sensor).property("source", source);
    return new OutgoingMessage(output, builder.build());
  }

  static String truncate(String text) {
    return text.length() <= MAX_PROPERTY_CHARS ? text : text.substring(0, MAX_PROPERTY_CHARS - 3) + "...";
  }
}
