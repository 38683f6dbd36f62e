package io.edgeai4j.nativebindings.tensorrt;

import java.util.Arrays;
import java.util.Objects;

/**
 * One input or output of an engine.
 *
 * @param name The tensor's name.
 * @param input Whether it is an input ({@code kINPUT}), else an output.
 * @param type The element type.
 * @param shape The engine's shape, -1 for a dynamic dimension.
 * @param min The smallest shape of optimization profile 0 (inputs; the shape for outputs).
 * @param opt The typical shape of profile 0 (inputs; the shape for outputs).
 * @param max The largest shape of profile 0 (inputs); for outputs, the shape with every input at its max.
 */
public record TensorInfo(String name, boolean input, TensorDataType type, long[] shape, long[] min, long[] opt,
    long[] max) {
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    min = min.clone();
    opt = opt.clone();
    max = max.clone();
  }

  /** Bytes of the largest tensor: what a buffer for it holds. */
  public long maxBytes() {
    return Shapes.volume(name, max) * type.bytes();
  }

  @Override
  public long[] shape() {
    return shape.clone();
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
    return o instanceof TensorInfo t && name.equals(t.name) && input == t.input && type == t.type
        && Arrays.equals(shape, t.shape) && Arrays.equals(min, t.min) && Arrays.equals(opt, t.opt)
        && Arrays.equals(max, t.max);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, input, type, Arrays.hashCode(shape), Arrays.hashCode(max));
  }

  @Override
  public String toString() {
    return (input ? "input " : "output ") + name + " " + type + " " + Arrays.toString(shape) + " max "
        + Arrays.toString(max);
  }
}
