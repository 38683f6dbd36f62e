package io.edgeai4j.optimize.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataSetsTest {
  @TempDir Path dir;

  private static void write(Path file, OnnxMl.TensorProto t) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, t.toByteArray());
  }

  private static OnnxMl.TensorProto rawFloats(long[] dims, float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName("x")
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static OnnxMl.TensorProto labels(long... v) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(v.length);
    for (long l : v) {
      t.addInt64Data(l);
    }
    return t.build();
  }

  @Test
  void setsAreReadInNumericOrderWithTheirInputsAndLabels() throws Exception {
    for (int n : new int[] {10, 2, 0}) {
      Path set = dir.resolve("test_data_set_" + n);
      write(set.resolve("input_0.pb"), rawFloats(new long[] {2, 2}, n, n + 0.5f, -n, 1e-3f));
      write(set.resolve("input_1.pb"), OnnxMl.TensorProto.newBuilder().setDataType(
          OnnxMl.TensorProto.DataType.INT32.getNumber()).addDims(2).addInt32Data(n).addInt32Data(-1).build());
      write(set.resolve("labels.pb"), labels(n % 3, 7));
    }
    Files.createDirectories(dir.resolve("not_a_set"));
    TestDataSets sets = TestDataSets.open(dir);
    assertThat(sets.size()).isEqualTo(3);
    List<Double> firsts = new ArrayList<>();
    for (TestDataSets.DataSet s : sets) {
      assertThat(s.inputs()).hasSize(2);
      assertThat(s.inputs().get(0).shape()).containsExactly(2, 2);
      assertThat(s.inputs().get(1).values()).endsWith(-1.0);
      assertThat(s.labels()).isPresent();
      firsts.add(s.inputs().get(0).values()[0]);
    }
    assertThat(firsts).containsExactly(0.0, 2.0, 10.0);
    TestDataSets.DataSet two = TestDataSets.read(dir.resolve("test_data_set_2"));
    assertThat(two.inputs().get(0).values()).containsExactly(2.0, 2.5, -2.0, (double) 1e-3f);
    assertThat(two.labels().orElseThrow().values()).containsExactly(2.0, 7.0);
  }

  @Test
  void whatCannotBeADataSetIsNamed() throws Exception {
    assertThatThrownBy(() -> TestDataSets.open(dir.resolve("none"))).isInstanceOf(DataSetException.class)
        .hasMessage(dir.resolve("none") + ": no such directory");
    assertThatThrownBy(() -> TestDataSets.open(dir)).hasMessageContaining("holds no test_data_set_<n>/");
    Path set = dir.resolve("test_data_set_0");
    write(set.resolve("input_1.pb"), rawFloats(new long[] {1}, 1));
    assertThatThrownBy(() -> TestDataSets.read(set)).hasMessageContaining("input_0.pb is missing");
    write(set.resolve("input_0.pb"), rawFloats(new long[] {3}, 1, 2));
    assertThatThrownBy(() -> TestDataSets.read(set)).hasMessage(set.resolve("input_0.pb")
        + ": tensor 'x': shape [3] holds 3 values, found 2");
    write(set.resolve("input_0.pb"), rawFloats(new long[] {2}, 1, 2));
    write(set.resolve("labels.pb"), labels(1, 2, 3));
    assertThatThrownBy(() -> TestDataSets.read(set)).hasMessageContaining("holds 3 labels for 2 rows");
    Files.writeString(set.resolve("labels.pb"), "{}");
    assertThatThrownBy(() -> TestDataSets.read(set)).hasMessageContaining("not a serialized ONNX TensorProto");
    write(set.resolve("labels.pb"), OnnxMl.TensorProto.newBuilder().setDataType(
        OnnxMl.TensorProto.DataType.STRING.getNumber()).addDims(1).addStringData(ByteString.copyFromUtf8("a")).build());
    assertThatThrownBy(() -> TestDataSets.read(set)).hasMessageContaining("element type STRING is not numeric");
  }
}
