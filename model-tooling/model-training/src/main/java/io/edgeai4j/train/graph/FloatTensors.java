package io.edgeai4j.train.graph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads and writes the values of ONNX float32 and int64 tensors ({@code raw_data} or the typed fields). */
final class FloatTensors {
  private FloatTensors() {}

  static float[] floats(OnnxMl.TensorProto t) {
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[b.remaining() / 4];
      b.asFloatBuffer().get(values);
      return values;
    }
    float[] values = new float[t.getFloatDataCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.getFloatData(i);
    }
    return values;
  }

  static long[] longs(OnnxMl.TensorProto t) {
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] values = new long[b.remaining() / 8];
      b.asLongBuffer().get(values);
      return values;
    }
    long[] values = new long[t.getInt64DataCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.getInt64Data(i);
    }
    return values;
  }

  /** {@code t} with its values replaced by {@code values} as little-endian {@code raw_data}; name and dims kept. */
  static OnnxMl.TensorProto withValues(OnnxMl.TensorProto t, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(b.array())).build();
  }

  static long[] dims(OnnxMl.TensorProto t) {
    long[] dims = new long[t.getDimsCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = t.getDims(i);
    }
    return dims;
  }
}
