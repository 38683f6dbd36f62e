package io.edgeai4j.train.graph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads and writes the values of ONNX float32 and int64 tensors ({@code raw_data} or the typed fields). */
final class FloatTensors {
  private FloatTensors() {}

  static float[] floats(OnnxMl.TensorProto t) {
    return OnnxProtos.floatValues(t);
  }

  static long[] longs(OnnxMl.TensorProto t) {
    return OnnxProtos.longValues(t);
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
