package io.edgeai4j.nativebindings.tensorrt;

import java.util.Arrays;
import org.bytedeco.tensorrt.nvinfer.Dims64;

/** Shapes between Java ({@code long[]}) and TensorRT ({@code Dims64}); the checks are pure Java. */
final class Shapes {
  /** {@code Dims64::MAX_DIMS}: TensorRT's largest rank. */
  static final int MAX_RANK = 8;

  private Shapes() { }

  /** Checks a shape TensorRT can hold: rank 0 to 8, every dimension at least {@code minDim} (-1 for dynamic). */
  static long[] requireValid(String what, long[] shape, long minDim) {
    if (shape.length > MAX_RANK) {
      throw new IllegalArgumentException(what + ": rank " + shape.length + " " + Arrays.toString(shape)
          + ", TensorRT holds at most " + MAX_RANK + " dimensions");
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < minDim) {
        throw new IllegalArgumentException(what + ": dimension " + i + " is " + shape[i] + " in "
            + Arrays.toString(shape) + ", expected at least " + minDim);
      }
    }
    return shape;
  }

  /** The element count; throws on a dynamic (-1) dimension or overflow. */
  static long volume(String what, long[] shape) {
    long v = 1;
    for (long d : requireValid(what, shape, 0)) {
      v = Math.multiplyExact(v, d);
    }
    return v;
  }

  /**
   * Checks a concrete shape against a profile: same rank and {@code min[i] <= shape[i] <= max[i]}.
   *
   * @throws IllegalArgumentException Naming the tensor, the shape found and the range expected.
   */
  static void requireWithin(String tensor, long[] shape, long[] min, long[] max) {
    boolean ok = shape.length == min.length;
    for (int i = 0; ok && i < shape.length; i++) {
      ok = shape[i] >= min[i] && shape[i] <= max[i];
    }
    if (!ok) {
      throw new IllegalArgumentException("input '" + tensor + "': shape " + Arrays.toString(shape)
          + ", expected between " + Arrays.toString(min) + " and " + Arrays.toString(max));
    }
  }

  static Dims64 toDims(String what, long[] shape) {
    requireValid(what, shape, -1);
    Dims64 d = new Dims64();
    d.nbDims(shape.length);
    for (int i = 0; i < shape.length; i++) {
      d.d(i, shape[i]);
    }
    return d;
  }

  static long[] fromDims(Dims64 d) {
    long[] s = new long[d.nbDims()];
    for (int i = 0; i < s.length; i++) {
      s[i] = d.d(i);
    }
    return s;
  }
}
