package io.edgeai4j.modelpackage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The numeric precision a model was built for; the twin spells it in lower case ({@code "fp16"}). */
public enum Precision {
  FP32,
  FP16,
  INT8;

  /** The twin's spelling, e.g. {@code fp16}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the twin's spelling (exact, lower case).
   *
   * @throws IllegalArgumentException Naming the text found and the spellings expected.
   */
  public static Precision parse(String text) {
    for (Precision p : values()) {
      if (p.spelling().equals(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException("expected one of " + spellings() + ", found '" + text + "'");
  }

  /** The spellings, comma-separated. */
  static String spellings() {
    return Arrays.stream(values()).map(Precision::spelling).collect(Collectors.joining(", "));
  }
}
