package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kind of value a sensor gives. */
public enum ValueType {
  /** A number (readings whose value is a JSON number, a Double or a Long). */
  NUMBER,
  /** A Boolean (a coil, a switch). Range, stuck-at and window settings do not apply. */
  BOOLEAN;

  /** The twin spelling, lower case. */
  @JsonValue
  public String twinName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the twin spelling. */
  @JsonCreator
  public static ValueType parse(String text) {
    for (ValueType t : values()) {
      if (t.twinName().equals(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("type must be one of " + Arrays.stream(values()).map(ValueType::twinName)
        .collect(Collectors.joining(", ")) + ", found '" + text + "'");
  }
}
