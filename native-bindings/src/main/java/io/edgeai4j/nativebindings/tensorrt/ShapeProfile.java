package io.edgeai4j.nativebindings.tensorrt;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input's optimization profile: the smallest, typical and largest shapes an engine accepts for it (TensorRT's
 * {@code kMIN}, {@code kOPT}, {@code kMAX}), e.g. a dynamic batch of 1 to 32 with 8 typical. Immutable; validated
 * once: same rank, positive dimensions, {@code min <= opt <= max} in every dimension.
 */
public record ShapeProfile(String input, long[] min, long[] opt, long[] max) {
  public ShapeProfile {
    Objects.requireNonNull(input, "input");
    min = min.clone();
    opt = opt.clone();
    max = max.clone();
    if (input.isBlank()) {
      throw new IllegalArgumentException("a shape profile needs the input's name");
    }
    if (min.length != opt.length || opt.length != max.length || min.length == 0) {
      throw new IllegalArgumentException("input '" + input + "': min " + Arrays.toString(min) + ", opt "
          + Arrays.toString(opt) + " and max " + Arrays.toString(max) + " must have the same, non-zero rank");
    }
    for (int i = 0; i < min.length; i++) {
      if (min[i] < 1 || min[i] > opt[i] || opt[i] > max[i]) {
        throw new IllegalArgumentException("input '" + input + "' dimension " + i + ": expected 1 <= min <= opt <= max,"
            + " found " + min[i] + ", " + opt[i] + ", " + max[i]);
      }
    }
  }

  /** A fixed shape: min, opt and max equal. */
  public static ShapeProfile fixed(String input, long... shape) {
    return new ShapeProfile(input, shape, shape, shape);
  }

  @Override
  public long[] min() {
    return min.clone();
  }

  @Override
  public long[] opt() {
    return opt.clone();
  }

  @Override
  public long[] max() {
    return max.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShapeProfile p && input.equals(p.input) && Arrays.equals(min, p.min)
        && Arrays.equals(opt, p.opt) && Arrays.equals(max, p.max);
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, Arrays.hashCode(min), Arrays.hashCode(opt), Arrays.hashCode(max));
  }

  /** {@code input:1x3x224x224} when fixed, else {@code input:min=1x3x224x224,opt=...,max=...}. */
  @Override
  public String toString() {
    return Arrays.equals(min, max) ? input + ":" + dims(min)
        : input + ":min=" + dims(min) + ",opt=" + dims(opt) + ",max=" + dims(max);
  }

  static String dims(long[] d) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      b.append(i == 0 ? "" : "x").append(d[i]);
    }
    return b.toString();
  }
}
