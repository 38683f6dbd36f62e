package io.edgeai4j.optimize.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a data set, its values widened to {@code double} (every ONNX numeric type fits: int64 beyond 2^53
 * loses precision, which calibration and labels never need). Immutable: the arrays are copied in and out.
 *
 * @param name The tensor's name in the file (may be empty: ONNX's test data often leaves it out).
 * @param elementType The ONNX {@code TensorProto.DataType} number it was stored as.
 * @param shape Its dimensions; the first is the rows of a batch.
 */
public record DataTensor(String name, int elementType, long[] shape, double[] values) {
  public DataTensor {
    Objects.requireNonNull(name, "name");
    shape = shape.clone();
    values = values.clone();
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "': a negative dimension in " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    if (count != values.length) {
      throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + count
          + " values, found " + values.length);
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** The rows of the batch: the first dimension, 1 for a scalar. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataTensor t && name.equals(t.name) && elementType == t.elementType
        && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, elementType, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "DataTensor[" + name + ", type " + elementType + ", " + Arrays.toString(shape) + "]";
  }
}
