package io.edgeai4j.ingestion.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a recording one record at a time. A record is the readings (or the block) of one line, with
 * the recorded time. A line that cannot be read is returned as a {@link Malformed} record naming the
 * line and the reason. Not thread-safe; closed by its owner.
 */
final class RecordReader implements Closeable {
  /** One line's worth of data, at its recorded time. */
  sealed interface Record permits Readings, Block, Malformed {}

  /** Readings recorded at {@code time}. */
  record Readings(Instant time, List<Reading> readings) implements Record {}

  /** A block recorded from {@code block.start()}. */
  record Block(SampleBlock block) implements Record {}

  /** A line that could not be read. */
  record Malformed(long line, String reason) implements Record {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private final ReplaySettings settings;
  private final BufferedReader lines;
  private final MappingIterator<Map<String, String>> rows;
  private long lineNumber;

  RecordReader(ReplaySettings settings) throws IOException {
    this.settings = settings;
    BufferedReader reader = Files.newBufferedReader(settings.path(), StandardCharsets.UTF_8);
    if (settings.format() == ReplayFormat.CSV) {
      this.lines = null;
      try {
        this.rows = CSV.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(reader);
      } catch (IOException | RuntimeException e) {
        reader.close();
        throw e;
      }
      lineNumber = 1;
    } else {
      this.lines = reader;
      this.rows = null;
    }
  }

  /** The next record, or null at the end of the file. */
  Record next() throws IOException {
    if (rows != null) {
      return nextRow();
    }
    String line;
    do {
      line = lines.readLine();
      lineNumber++;
      if (line == null) {
        return null;
      }
    } while (line.isBlank());
    try {
      JsonNode node = JSON.readTree(line);
      if (!node.isObject()) {
        return new Malformed(lineNumber, "expected a JSON object, found " + node.getNodeType());
      }
      return fromJson(node);
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      return new Malformed(lineNumber, e.getMessage());
    }
  }

  private Record nextRow() {
    try {
      if (!rows.hasNextValue()) {
        return null;
      }
      Map<String, String> row = rows.nextValue();
      lineNumber++;
      String stamp = row.get(settings.timestampField());
      if (stamp == null) {
        return new Malformed(lineNumber, "no column '" + settings.timestampField() + "'; columns: " + row.keySet());
      }
      Instant time = parseTime(stamp.trim());
      List<Reading> readings = new ArrayList<>();
      for (Map.Entry<String, String> column : columns(row.keySet()).entrySet()) {
        String text = row.get(column.getValue());
        if (text == null || text.isBlank()) {
          continue;  // No reading of this sensor in this row.
        }
        readings.add(new Reading(column.getKey(), time, parseCell(text.trim()), settings.units().get(column.getKey()),
            Map.of()));
      }
      return new Readings(time, readings);
    } catch (IOException | RuntimeException e) {
      return new Malformed(lineNumber, e.getMessage());
    }
  }

  private Map<String, String> columns(Iterable<String> present) {
    if (!settings.columns().isEmpty()) {
      return settings.columns();
    }
    Map<String, String> all = new java.util.LinkedHashMap<>();
    for (String name : present) {
      if (!name.equals(settings.timestampField())) {
        all.put(name, name);
      }
    }
    return all;
  }

  private Record fromJson(JsonNode node) {
    if (node.has("values") && node.has("sensor")) {
      JsonNode values = node.get("values");
      if (!values.isArray()) {
        throw new IllegalArgumentException("'values' must be an array of numbers");
      }
      double[] samples = new double[values.size()];
      for (int i = 0; i < samples.length; i++) {
        JsonNode v = values.get(i);
        samples[i] = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
      }
      String sensor = node.get("sensor").asText();
      JsonNode start = node.has("start") ? node.get("start") : node.get("windowStart");
      if (start == null || !node.has("sampleRateHz")) {
        throw new IllegalArgumentException("a block needs 'start' (or 'windowStart') and 'sampleRateHz'");
      }
      String unit = node.hasNonNull("unit") ? node.get("unit").asText() : settings.units().get(sensor);
      return new Block(new SampleBlock(sensor, time(start), node.get("sampleRateHz").asDouble(), samples, unit,
          Map.of()));
    }
    JsonNode stamp = node.get(settings.timestampField());
    if (stamp == null) {
      throw new IllegalArgumentException("no field '" + settings.timestampField() + "'");
    }
    Instant time = time(stamp);
    List<Reading> readings = new ArrayList<>();
    if (node.has("sensor")) {
      String sensor = node.get("sensor").asText();
      String unit = node.hasNonNull("unit") ? node.get("unit").asText() : settings.units().get(sensor);
      readings.add(new Reading(sensor, time, value(node.get("value")), unit, Map.of()));
    } else {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      for (Map.Entry<String, String> column : columns(names).entrySet()) {
        if (node.has(column.getValue())) {
          readings.add(new Reading(column.getKey(), time, value(node.get(column.getValue())),
              settings.units().get(column.getKey()), Map.of()));
        }
      }
    }
    return new Readings(time, readings);
  }

  private static Object value(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.isTextual() ? v.asText() : v.toString();
  }

  private static Object parseCell(String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notLong) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException notNumber) {
        return text;  // Validation dead-letters it with the reason.
      }
    }
  }

  private static Instant time(JsonNode stamp) {
    if (stamp.isNumber()) {
      return Instant.ofEpochMilli(stamp.asLong());
    }
    return parseTime(stamp.asText());
  }

  private static Instant parseTime(String text) {
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      return Instant.ofEpochMilli(Long.parseLong(text));
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("timestamp '" + text + "' is neither ISO-8601 (2026-11-28T10:15:30Z) nor"
          + " epoch milliseconds");
    }
  }

  @Override
  public void close() throws IOException {
    if (rows != null) {
      rows.close();
    } else {
      lines.close();
    }
  }
}
