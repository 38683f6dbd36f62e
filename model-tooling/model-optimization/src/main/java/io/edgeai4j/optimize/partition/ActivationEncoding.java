package io.edgeai4j.optimize.partition;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How float32 activations travel between parts (contract 4 of issue 17): float32 (4 B per element), float16 (2 B) or
 * int8 (1 B, plus a float32 scale and a one-byte zero point per tensor). Tensors of other element types travel as they
 * are.
 */
public enum ActivationEncoding {
  FLOAT32(4, 0),
  FLOAT16(2, 0),
  INT8(1, 5);

  private final int bytesPerElement;
  private final int bytesPerTensor;

  ActivationEncoding(int bytesPerElement, int bytesPerTensor) {
    this.bytesPerElement = bytesPerElement;
    this.bytesPerTensor = bytesPerTensor;
  }

  /** The bytes of a float32 tensor of {@code elements} elements in this encoding. */
  public long bytes(long elements) {
    return elements * bytesPerElement + bytesPerTensor;
  }

  /** The name used on the command line and in JSON: {@code float32}, {@code float16}, {@code int8}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a label.
   *
   * @throws IllegalArgumentException naming the text and the labels expected
   */
  public static ActivationEncoding parse(String text) {
    for (ActivationEncoding e : values()) {
      if (e.label().equalsIgnoreCase(String.valueOf(text).trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("activation encoding '" + text + "': expected one of "
        + Arrays.stream(values()).map(ActivationEncoding::label).collect(Collectors.joining(", ")));
  }
}
