package io.edgeai4j.inference.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor whose elements live in a direct, native-order {@link ByteBuffer}, so that a backend can
 * hand it to native code without a copy. Immutable view: {@link #data()} returns a read-only duplicate.
 * Thread-safe.
 */
public final class Tensor {
  private final String name;
  private final ElementType type;
  private final long[] shape;
  private final ByteBuffer data;

  private Tensor(String name, ElementType type, long[] shape, ByteBuffer data) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.shape = shape.clone();
    long count = elementCount(this.shape);
    if (count * type.bytes() != data.remaining()) {
      throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + count
          + " " + type.spelling() + " elements (" + count * type.bytes() + " bytes), found " + data.remaining()
          + " bytes");
    }
    this.data = data.slice().order(ByteOrder.nativeOrder());
  }

  /**
   * Wraps a buffer without copying when it is direct and in native order (else copies it into one).
   *
   * @throws IllegalArgumentException If the buffer's size does not match the shape, naming both.
   */
  public static Tensor wrap(String name, ElementType type, long[] shape, ByteBuffer data) {
    ByteBuffer direct = data;
    if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
      direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
      direct.put(data.duplicate().order(data.order()));
      direct.flip();
    }
    return new Tensor(name, type, shape, direct);
  }

  /** A float32 tensor holding a copy of {@code values}. */
  public static Tensor ofFloats(String name, long[] shape, float... values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(values);
    return new Tensor(name, ElementType.FLOAT32, shape, buffer);
  }

  /** The number of elements a shape holds. */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("a tensor's shape must not have open (-1) dimensions, found "
            + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    return count;
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

  public long elementCount() {
    return elementCount(shape);
  }

  /** The elements, a read-only native-order view positioned at 0. */
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  /** The elements as floats (a copy). */
  public float[] toFloats() {
    if (type != ElementType.FLOAT32) {
      throw new IllegalStateException("tensor '" + name + "' holds " + type.spelling() + ", not float32");
    }
    FloatBuffer floats = data().asFloatBuffer();
    float[] values = new float[floats.remaining()];
    floats.get(values);
    return values;
  }

  /** The same elements under another name. */
  public Tensor renamed(String newName) {
    return new Tensor(newName, type, shape, data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ":" + type.spelling() + Arrays.toString(shape) + "]";
  }
}
