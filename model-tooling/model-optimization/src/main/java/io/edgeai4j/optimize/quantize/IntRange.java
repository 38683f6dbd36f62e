package io.edgeai4j.optimize.quantize;

/**
 * The integer range {@code [min, max]} a real range is mapped onto (ONNX Runtime's {@code qmin, qmax}).
 *
 * @param min Zero or below.
 * @param max Zero or above, at least {@code min}.
 */
public record IntRange(int min, int max) {
  public IntRange {
    if (min > 0 || max < 0 || min > max) {
      throw new IllegalArgumentException("an integer range must hold 0 with min <= max, found [" + min + ", " + max
          + "]");
    }
  }

  /**
   * ONNX Runtime's {@code get_qmin_qmax_for_qType}: reduced range first (7 bits: int8 [-64, 64], uint8 [0, 127]), then
   * the symmetric range (int8 [-127, 127]), then the full range.
   */
  public static IntRange of(QuantType type, boolean symmetric, boolean reduceRange) {
    if (reduceRange) {
      return type == QuantType.INT8 ? new IntRange(-64, 64) : new IntRange(0, 127);
    }
    if (symmetric && type == QuantType.INT8) {
      return new IntRange(-127, 127);
    }
    return new IntRange(type.min(), type.max());
  }
}
