package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Float values of an initializer, from {@code raw_data} or {@code float_data}. Stateless. */
final class Tensors {
  private Tensors() {}

  static float[] floats(OnnxMl.TensorProto t) {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IllegalArgumentException("initializer '" + t.getName() + "' has element type " + t.getDataType()
          + "; expected float32");
    }
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException("initializer '" + t.getName() + "' is stored in an external file; models"
          + " with external data are not quantized here");
    }
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      return v;
    }
    float[] v = new float[t.getFloatDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = t.getFloatData(i);
    }
    return v;
  }
}
