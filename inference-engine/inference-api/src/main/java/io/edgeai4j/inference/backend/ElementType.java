package io.edgeai4j.inference.backend;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The element types a tensor can hold; the twin and {@code model.json} spell them in lower case. The 16-bit floats
 * ({@link #FLOAT16}, {@link #BFLOAT16}) travel as their raw bits (base64, files) or as numbers in JSON, converted by
 * {@link HalfFloats}.
 */
public enum ElementType {
  FLOAT32(4),
  FLOAT64(8),
  /** IEEE 754 binary16 (ONNX {@code float16}). */
  FLOAT16(2),
  /** bfloat16, the upper half of a float32 (ONNX {@code bfloat16}). */
  BFLOAT16(2),
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

  /** Whether its elements are floating point numbers. */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
  }

  /**
   * Reads the next element of a floating-point type from {@code buffer} (in the buffer's byte order), widened
   * exactly to a double.
   *
   * @throws IllegalStateException If this is not a floating-point type.
   */
  public double readFloating(ByteBuffer buffer) {
    return switch (this) {
      case FLOAT32 -> buffer.getFloat();
      case FLOAT64 -> buffer.getDouble();
      case FLOAT16 -> HalfFloats.float16ToFloat(buffer.getShort());
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(buffer.getShort());
      default -> throw new IllegalStateException(spelling() + " is not a floating-point type");
    };
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
    throw new IllegalArgumentException("element type must be one of " + spellings() + "; found '" + text + "'");
  }

  /** Every spelling, comma-separated, for messages: {@code float32, float64, ...}. */
  public static String spellings() {
    StringJoiner all = new StringJoiner(", ");
    for (ElementType t : values()) {
      all.add(t.spelling());
    }
    return all.toString();
  }
}
