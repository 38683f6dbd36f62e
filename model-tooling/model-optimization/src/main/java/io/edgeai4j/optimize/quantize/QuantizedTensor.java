package io.edgeai4j.optimize.quantize;

import java.util.Arrays;

/**
 * A quantized tensor: its integer values (row-major) and one scale/zero point per tensor ({@code axis == -1}) or per
 * channel along {@code axis}. Immutable: arrays are copied in and out.
 */
public record QuantizedTensor(QuantType type, long[] shape, int axis, ScaleZeroPoint[] params, int[] values) {
  public QuantizedTensor {
    shape = shape.clone();
    params = params.clone();
    values = values.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public ScaleZeroPoint[] params() {
    return params.clone();
  }

  @Override
  public int[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizedTensor t && type == t.type && axis == t.axis && Arrays.equals(shape, t.shape)
        && Arrays.equals(params, t.params) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "QuantizedTensor[" + type + ", " + Arrays.toString(shape) + ", axis " + axis + ", " + Arrays.toString(params)
        + "]";
  }
}
