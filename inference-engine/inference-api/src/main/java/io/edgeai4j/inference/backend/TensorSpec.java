package io.edgeai4j.inference.backend;

import java.util.Arrays;
import java.util.Objects;

/**
 * A model input or output: name, element type and shape, where {@code -1} is a dimension the model
 * leaves open (a leading {@code -1} is the batch dimension). Immutable.
 */
public final class TensorSpec {
  private final String name;
  private final ElementType type;
  private final long[] shape;

  /**
   * Creates a spec.
   *
   * @param name The tensor's name in the model.
   * @param type Its element type.
   * @param shape Its shape; {@code -1} for an open dimension. Copied.
   */
  public TensorSpec(String name, ElementType type, long[] shape) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.shape = shape.clone();
    for (long d : this.shape) {
      if (d < -1) {
        throw new IllegalArgumentException("tensor '" + name + "': a dimension must be -1 (open) or 0 or more, found "
            + Arrays.toString(shape));
      }
    }
  }

  public String name() {
    return name;
  }

  public ElementType type() {
    return type;
  }

  /** The shape (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** Whether the first dimension is open, so requests can be stacked along it. */
  public boolean batchable() {
    return shape.length > 0 && shape[0] == -1;
  }

  /**
   * Checks a tensor against this spec.
   *
   * @return Null when it fits, else what is wrong, naming the tensor, what was found and what was expected,
   *     e.g. {@code input 'features': shape [1, 10] does not match [-1, 12] (dimension 1 is 10, expected 12)}.
   */
  public String mismatch(Tensor tensor) {
    if (tensor.type() != type) {
      return "input '" + name + "': element type " + tensor.type().spelling() + ", expected " + type.spelling();
    }
    long[] found = tensor.shape();
    if (found.length != shape.length) {
      return "input '" + name + "': shape " + Arrays.toString(found) + " has " + found.length + " dimensions, expected "
          + shape.length + " as in " + Arrays.toString(shape);
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != -1 && shape[i] != found[i]) {
        return "input '" + name + "': shape " + Arrays.toString(found) + " does not match " + Arrays.toString(shape)
            + " (dimension " + i + " is " + found[i] + ", expected " + shape[i] + ")";
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec other && name.equals(other.name) && type == other.type
        && Arrays.equals(shape, other.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + type.spelling() + Arrays.toString(shape);
  }
}
