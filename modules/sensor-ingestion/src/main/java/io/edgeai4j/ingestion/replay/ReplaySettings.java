package io.edgeai4j.ingestion.replay;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.ingestion.config.TwinKeys;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of a replay source. Immutable.
 *
 * @param file The recording (absolute, or relative to the module's working directory).
 * @param format CSV or JSON Lines; default from the file's extension.
 * @param speed How many times faster than recorded to replay, above 0 and at most 10000; default 1.
 * @param loop Whether to start again at the end; default false (the source then reports {@code finished}).
 * @param retime Whether to move timestamps so that the recording appears to happen now (a reading
 *     recorded {@code d} after the first one is stamped {@code start + d / speed}); default true. Off,
 *     readings keep their recorded timestamps (set the sensors' {@code maxAgeMillis} accordingly).
 * @param timestampField The column or field holding the timestamp (ISO-8601 text or epoch milliseconds);
 *     default {@code timestamp}.
 * @param columns For CSV and row-form JSON Lines: which column feeds which sensor ({@code sensor ->
 *     column}); default every column except the timestamp, named as the sensor.
 * @param units Units by sensor, stamped on readings that carry none.
 */
public record ReplaySettings(String file, ReplayFormat format, double speed, boolean loop, boolean retime,
    String timestampField, Map<String, String> columns, Map<String, String> units) implements SourceSettings {

  /** Binds from the twin; absent values take their defaults. */
  @JsonCreator
  public static ReplaySettings of(@JsonProperty(value = "file", required = true) String file,
      @JsonProperty("format") ReplayFormat format, @JsonProperty("speed") Double speed,
      @JsonProperty("loop") Boolean loop, @JsonProperty("retime") Boolean retime,
      @JsonProperty("timestampField") String timestampField, @JsonProperty("columns") Map<String, String> columns,
      @JsonProperty("units") Map<String, String> units) {
    ReplayFormat resolved = format;
    if (resolved == null && file != null) {
      resolved = ReplayFormat.fromFileName(file);
      if (resolved == null) {
        throw new IllegalArgumentException("cannot tell the format of '" + file + "' from its extension"
            + " (.csv, .jsonl, .ndjson, .json); set format to csv or jsonl");
      }
    }
    return new ReplaySettings(file, resolved, speed == null ? 1 : speed, loop != null && loop, retime == null || retime,
        timestampField == null ? "timestamp" : timestampField, columns == null ? Map.of() : columns,
        units == null ? Map.of() : units);
  }

  /** Validates and copies. */
  public ReplaySettings {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("file must name the recording, found " + (file == null ? "nothing" : "''"));
    }
    if (!(speed > 0 && speed <= 10_000)) {
      throw new IllegalArgumentException("speed must be above 0 and at most 10000, found " + speed);
    }
    if (timestampField.isBlank()) {
      throw new IllegalArgumentException("timestampField must not be blank");
    }
    for (String sensor : columns.keySet()) {
      if (!TwinKeys.isValid(sensor)) {
        throw new IllegalArgumentException("columns: sensor name '" + sensor + "' " + TwinKeys.RULE);
      }
    }
    columns = Collections.unmodifiableMap(new TreeMap<>(columns));
    units = Collections.unmodifiableMap(new TreeMap<>(units));
  }

  /** The recording's path. */
  public Path path() {
    return Path.of(file);
  }

  @Override
  public Set<String> sensors() {
    return columns.keySet();
  }
}
