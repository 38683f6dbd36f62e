package io.edgeai4j.modelpackage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The format of the model inside a package; the twin spells it in lower case ({@code "onnx"}). */
public enum ModelFormat {
  ONNX;

  /** The twin's spelling, e.g. {@code onnx}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the twin's spelling (exact, lower case).
   *
   * @throws IllegalArgumentException Naming the text found and the spellings expected.
   */
  public static ModelFormat parse(String text) {
    for (ModelFormat f : values()) {
      if (f.spelling().equals(text)) {
        return f;
      }
    }
    throw new IllegalArgumentException("expected one of " + spellings() + ", found '" + text + "'");
  }

  /** The spellings, e.g. {@code onnx}, comma-separated. */
  static String spellings() {
    return Arrays.stream(values()).map(ModelFormat::spelling).collect(Collectors.joining(", "));
  }
}
