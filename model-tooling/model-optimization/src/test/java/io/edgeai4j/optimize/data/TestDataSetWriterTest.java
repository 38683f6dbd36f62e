package io.edgeai4j.optimize.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sets written by {@link TestDataSetWriter}, read back by {@link TestDataSets} and as raw TensorProtos. */
class TestDataSetWriterTest {
  @TempDir Path dir;

  private static DataTensor tensor(String name, int type, long[] shape) {
    double[] v = new double[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
    Arrays.setAll(v, i -> i * 0.5 - 3);
    return new DataTensor(name, type, shape, v);
  }

  @Test
  void cutsTheRowsIntoSetsInOrderWithNamesAndInt64Labels() throws Exception {
    DataTensor x = tensor("x", 1, new long[] {7, 2, 3});
    DataTensor ids = new DataTensor("ids", 7, new long[] {7}, new double[] {10, 11, 12, 13, 14, 15, 16});
    DataTensor labels = new DataTensor("y", 7, new long[] {7}, new double[] {0, 1, 2, 0, 1, 2, 0});
    Path out = dir.resolve("data");

    TestDataSetWriter.Written written = TestDataSetWriter.write(out, List.of(x, ids), Optional.of(labels), 3);

    assertThat(written).isEqualTo(new TestDataSetWriter.Written(3, 7));
    List<Long> rows = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    List<Double> idValues = new ArrayList<>();
    List<Double> labelValues = new ArrayList<>();
    for (TestDataSets.DataSet set : TestDataSets.open(out)) {
      DataTensor in = set.inputs().get(0);
      assertThat(in.name()).isEqualTo("x");
      assertThat(in.elementType()).isEqualTo(OnnxMl.TensorProto.DataType.FLOAT_VALUE);
      assertThat(Arrays.copyOfRange(in.shape(), 1, 3)).containsExactly(2, 3);
      rows.add(in.rows());
      Arrays.stream(in.values()).forEach(all::add);
      Arrays.stream(set.inputs().get(1).values()).forEach(idValues::add);
      DataTensor l = set.labels().orElseThrow();
      assertThat(l.elementType()).isEqualTo(OnnxMl.TensorProto.DataType.INT64_VALUE);
      Arrays.stream(l.values()).forEach(labelValues::add);
    }
    assertThat(rows).containsExactly(3L, 3L, 1L);
    assertThat(all).containsExactlyElementsOf(Arrays.stream(x.values()).boxed().toList());
    assertThat(idValues).containsExactly(10d, 11d, 12d, 13d, 14d, 15d, 16d);
    assertThat(labelValues).containsExactly(0d, 1d, 2d, 0d, 1d, 2d, 0d);
    // Values are raw_data, as ONNX writes its own test data.
    OnnxMl.TensorProto raw = OnnxMl.TensorProto.parseFrom(
        Files.readAllBytes(out.resolve("test_data_set_2/input_0.pb")));
    assertThat(raw.getRawData().size()).isEqualTo(6 * 4);
    assertThat(raw.getFloatDataCount()).isZero();
    assertThat(raw.getDimsList()).containsExactly(1L, 2L, 3L);
  }

  @ParameterizedTest(name = "ONNX type {0}")
  @CsvSource({"1, -3.5, 2.25", "11, -1e300, 0.1", "10, -2.5, 65504", "16, -3.0, 1.5", "7, -9007199254740992, 42",
      "13, 0, 18446744073709549568", "6, -2147483648, 2147483647", "12, 0, 4294967295", "5, -32768, 32767",
      "4, 0, 65535", "3, -128, 127", "2, 0, 255", "9, 0, 1"})
  void everyNumericTypeRoundTrips(int type, double low, double high) throws Exception {
    DataTensor t = new DataTensor("v", type, new long[] {2}, new double[] {low, high});
    TestDataSetWriter.write(dir.resolve("d"), List.of(t), Optional.empty(), 5);
    assertThat(TensorFiles.read(dir.resolve("d/test_data_set_0/input_0.pb"))).isEqualTo(t);
    assertThat(TestDataSets.read(dir.resolve("d/test_data_set_0")).labels()).isEmpty();
  }

  @Test
  void refusesANonEmptyDirectoryAndInputsThatDisagree() throws Exception {
    DataTensor x = tensor("x", 1, new long[] {4, 2});
    Files.createDirectories(dir.resolve("full/test_data_set_0"));
    assertThatThrownBy(() -> TestDataSetWriter.write(dir.resolve("full"), List.of(x), Optional.empty(), 2))
        .isInstanceOf(DataSetException.class)
        .hasMessage(dir.resolve("full") + ": is not empty; refusing to mix new sets with what it holds");

    DataTensor other = tensor("z", 1, new long[] {3, 2});
    assertThatThrownBy(() -> TestDataSetWriter.write(dir.resolve("a"), List.of(x, other), Optional.empty(), 2))
        .hasMessage("input 'z' holds 3 rows, input 'x' 4; expected the same rows in every input");
    DataTensor fractional = new DataTensor("y", 1, new long[] {4}, new double[] {0, 1, 1.5, 2});
    assertThatThrownBy(() -> TestDataSetWriter.write(dir.resolve("b"), List.of(x), Optional.of(fractional), 2))
        .hasMessage("labels 'y' hold 1.5; expected non-negative integer class indices");
    DataTensor three = new DataTensor("y", 7, new long[] {3}, new double[] {0, 1, 2});
    assertThatThrownBy(() -> TestDataSetWriter.write(dir.resolve("c"), List.of(x), Optional.of(three), 2))
        .hasMessage("labels 'y' have shape [3]; expected [4] (one class index per row)");
    assertThatThrownBy(() -> TestDataSetWriter.write(dir.resolve("e"), List.of(x), Optional.empty(), 0))
        .hasMessage("rows per set must be at least 1, found 0");
    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(dir.resolve("b")).doesNotExist();
  }
}
