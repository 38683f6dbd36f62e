package io.edgeai4j.inference.backend;

import java.util.Locale;

/** The element types a tensor can hold; the twin and {@code model.json} spell them in lower case. */
public enum ElementType {
  FLOAT32(4),
  FLOAT64(8),
  INT8(1),
  UINT8(1),
  INT32(4),
  INT64(8),
  BOOL(1);

  private final int bytes;

  ElementType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The lower-case spelling, e.g. {@code float32}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the lower-case spelling.
   *
   * @throws IllegalArgumentException Naming the text found and the spellings expected.
   */
  public static ElementType parse(String text) {
    for (ElementType t : values()) {
      if (t.spelling().equals(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("element type must be one of float32, float64, int8, uint8, int32, int64,"
        + " bool; found '" + text + "'");
  }
}
