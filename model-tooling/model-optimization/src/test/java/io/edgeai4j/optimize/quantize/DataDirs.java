package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes data directories in ONNX's test-data layout for the tests. */
final class DataDirs {
  private DataDirs() {}

  /** Writes {@code dir/test_data_set_<n>/input_0.pb}: a float32 batch {@code [rows, dims...]}. */
  static void writeSet(Path dir, int n, float[] values, long... shape) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : values) {
      b.putFloat(f);
    }
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName("x")
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
    for (long d : shape) {
      t.addDims(d);
    }
    Path set = dir.resolve("test_data_set_" + n);
    Files.createDirectories(set);
    Files.write(set.resolve("input_0.pb"), t.build().toByteArray());
  }
}
