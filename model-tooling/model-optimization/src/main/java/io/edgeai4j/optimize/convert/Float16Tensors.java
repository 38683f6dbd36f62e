package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.backend.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Float32 tensors to float16 (IEEE half, round to nearest even), values beyond ±65504 clamped and counted. */
final class Float16Tensors {
  private Float16Tensors() {}

  /** The tensor in float16 as raw_data; adds the number of clamped values to {@code clamped[0]}. */
  static OnnxMl.TensorProto toFloat16(OnnxMl.TensorProto tensor, long[] clamped) {
    float[] values = io.edgeai4j.optimize.onnx.OnnxProtos.floatValues(tensor);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (Math.abs(v) > HalfFloats.FLOAT16_MAX && !Float.isInfinite(v)) {
        clamped[0]++;
        v = Math.copySign(HalfFloats.FLOAT16_MAX, v);
      }
      raw.putShort(HalfFloats.floatToFloat16(v));
    }
    return tensor.toBuilder().clearFloatData().clearRawData()
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT16.getNumber())
        .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
  }
}
