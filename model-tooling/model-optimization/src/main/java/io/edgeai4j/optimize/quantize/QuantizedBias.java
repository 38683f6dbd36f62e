package io.edgeai4j.optimize.quantize;

import java.util.Arrays;

/**
 * A bias quantized to int32 with zero point 0: one scale in all or one per channel. Immutable: arrays are copied in and
 * out.
 */
public record QuantizedBias(float[] scales, int[] values) {
  public QuantizedBias {
    scales = scales.clone();
    values = values.clone();
  }

  @Override
  public float[] scales() {
    return scales.clone();
  }

  @Override
  public int[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizedBias b && Arrays.equals(scales, b.scales) && Arrays.equals(values, b.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "QuantizedBias[" + Arrays.toString(scales) + ", " + Arrays.toString(values) + "]";
  }
}
