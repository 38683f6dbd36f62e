package io.edgeai4j.optimize.quantize;

/**
 * The parameters of linear quantization, {@code real = scale * (q - zeroPoint)}.
 *
 * @param scale Positive.
 * @param zeroPoint The integer that stands for real 0.
 */
public record ScaleZeroPoint(float scale, int zeroPoint) {
  public ScaleZeroPoint {
    if (!(scale > 0) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException("a quantization scale must be positive and finite, found " + scale);
    }
  }
}
