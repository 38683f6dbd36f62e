package io.edgeai4j.train.graph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes trained float32 values into an ONNX tensor (reading is {@link OnnxProtos#floatValues}). */
final class FloatTensors {
  private FloatTensors() {}

  /** {@code t} with its values replaced by {@code values} as little-endian {@code raw_data}; name and dims kept. */
  static OnnxMl.TensorProto withValues(OnnxMl.TensorProto t, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(b.array())).build();
  }
}
