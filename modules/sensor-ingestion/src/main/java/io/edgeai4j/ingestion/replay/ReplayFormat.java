package io.edgeai4j.ingestion.replay;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The formats a recording can have. */
public enum ReplayFormat {
  /** Comma-separated values with a header row: a timestamp column and one column per sensor. */
  CSV,
  /**
   * JSON Lines: one object per line, either one reading ({@code {"timestamp", "sensor", "value", "unit"}}),
   * a block ({@code {"sensor", "start", "sampleRateHz", "values": [...]}}, the form the module's
   * {@code windows} and {@code readings} outputs write), or a row ({@code {"timestamp", "<sensor>": value, ...}}).
   */
  JSONL;

  @JsonValue
  String twinName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  static ReplayFormat parse(String text) {
    for (ReplayFormat f : values()) {
      if (f.twinName().equals(text)) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be csv or jsonl, found '" + text + "'");
  }

  /** The format a file name implies, or null. */
  static ReplayFormat fromFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
      return JSONL;
    }
    return null;
  }
}
