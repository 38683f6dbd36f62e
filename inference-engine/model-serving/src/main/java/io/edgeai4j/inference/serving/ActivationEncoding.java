package io.edgeai4j.inference.serving;

import java.util.Locale;

/**
 * How a part of a split model encodes the float32 tensors it forwards to the next part ({@code model.json}
 * {@code partition.activationEncoding}): raw {@link #FLOAT32} (4 bytes an element, exact), {@link #FLOAT16} (2 bytes,
 * rounded to nearest even) or {@link #INT8} (1 byte, quantized per tensor with a scale and a zero point).
 */
public enum ActivationEncoding {
  FLOAT32,
  FLOAT16,
  INT8;

  /** The spelling in {@code model.json}: {@code float32}, {@code float16} or {@code int8}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the spelling.
   *
   * @throws IllegalArgumentException Naming the text found and the spellings expected.
   */
  public static ActivationEncoding parse(String text) {
    for (ActivationEncoding e : values()) {
      if (e.spelling().equals(text)) {
        return e;
      }
    }
    throw new IllegalArgumentException("must be float32, float16 or int8; found '" + text + "'");
  }
}
