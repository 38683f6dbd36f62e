package io.edgeai4j.nativebindings.tensorrt;

import java.nio.ByteBuffer;

/**
 * An output read after {@link ExecutionContext#execute()}: a read-only, native-order view over the context's host
 * memory, valid until the next {@code execute()} or {@code close()} of that context (copy what you keep).
 *
 * @param name The tensor's name.
 * @param type The element type.
 * @param shape The shape of this run.
 * @param data The elements, {@code volume(shape) * type.bytes()} bytes.
 */
public record HostTensor(String name, TensorDataType type, long[] shape, ByteBuffer data) {
  public HostTensor {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }
}
