package io.edgeai4j.train.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Data directories in ONNX's test-data layout, written by {@link TestDataSetWriter}, read back as training rows. */
class DataDirectoryRowsTest {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
  private static final int INT64 = OnnxMl.TensorProto.DataType.INT64_VALUE;

  @TempDir Path dir;

  /** {@code rows} rows of shape [2, 3], row r holding r*10 + i. */
  private static DataTensor input(int rows, int elementType) {
    double[] v = new double[rows * 6];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < 6; i++) {
        v[r * 6 + i] = r * 10 + i;
      }
    }
    return new DataTensor("x", elementType, new long[] {rows, 2, 3}, v);
  }

  private static DataTensor labels(double... values) {
    return new DataTensor("labels", INT64, new long[] {values.length}, values);
  }

  @Test
  void setsAreReadInOrderWithTheirLabels() throws Exception {
    Path data = dir.resolve("data");
    // 7 rows in sets of 3: test_data_set_0..2 holding 3, 3 and 1 rows.
    TestDataSetWriter.write(data, List.of(input(7, FLOAT)), Optional.of(labels(0, 1, 2, 3, 4, 5, 9)), 3);

    DataRows rows = DataDirectoryRows.read(data);

    assertThat(rows.rows()).isEqualTo(7);
    assertThat(rows.rowShape()).containsExactly(2, 3);
    assertThat(rows.labels()).containsExactly(0, 1, 2, 3, 4, 5, 9);
    assertThat(rows.values()[6 * 6 + 5]).isEqualTo(65f);
    assertThat(rows.values()[3 * 6]).isEqualTo(30f);
    assertThat(rows.labelled()).isPresent();
  }

  @Test
  void withoutLabelsTheRowsAreUnlabelled() throws Exception {
    Path data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(input(4, FLOAT)), Optional.empty(), 2);

    DataRows rows = DataDirectoryRows.read(data);

    assertThat(rows.rows()).isEqualTo(4);
    assertThat(rows.labels()).isNull();
    assertThat(rows.labelled()).isEmpty();
  }

  @Test
  void twoInputsAreRefused() throws Exception {
    Path data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(input(2, FLOAT), input(2, FLOAT)), Optional.empty(), 2);
    assertThatThrownBy(() -> DataDirectoryRows.read(data)).isInstanceOf(DataSetException.class)
        .hasMessageContaining("test_data_set_0")
        .hasMessageContaining("holds 2 inputs (input_0.pb ... input_1.pb); training reads one-input models only,"
            + " expected input_0.pb alone");
  }

  @Test
  void anotherElementTypeIsRefused() throws Exception {
    Path data = dir.resolve("data");
    TestDataSetWriter.write(data, List.of(input(2, INT64)), Optional.empty(), 2);
    assertThatThrownBy(() -> DataDirectoryRows.read(data)).isInstanceOf(DataSetException.class)
        .hasMessageContaining("input_0.pb").hasMessageContaining("holds int64 values; training expects float32");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "labels in the first set only|has no labels.pb; the sets before it have one, expected labels in every set or"
          + " in none",
      "labels in the second set only|has labels.pb; the sets before it have none, expected labels in every set or"
          + " in none",
      "another row shape|holds rows of shape [3, 2]; the sets before it hold [2, 3], expected the same in every set",
      "a negative label|labels.pb: label -1.0 of row 1; expected a class index, an integer 0 or more"})
  void setsThatDisagreeAreRefused(String case_, String message) throws Exception {
    Path data = dir.resolve("data");
    Path first = dir.resolve("a");
    Path second = dir.resolve("b");
    DataTensor x = input(2, FLOAT);
    switch (case_) {
      case "labels in the first set only" -> {
        TestDataSetWriter.write(first, List.of(x), Optional.of(labels(0, 1)), 2);
        TestDataSetWriter.write(second, List.of(x), Optional.empty(), 2);
      }
      case "labels in the second set only" -> {
        TestDataSetWriter.write(first, List.of(x), Optional.empty(), 2);
        TestDataSetWriter.write(second, List.of(x), Optional.of(labels(0, 1)), 2);
      }
      case "another row shape" -> {
        TestDataSetWriter.write(first, List.of(x), Optional.empty(), 2);
        TestDataSetWriter.write(second, List.of(new DataTensor("x", FLOAT, new long[] {2, 3, 2}, x.values())),
            Optional.empty(), 2);
      }
      default -> {
        TestDataSetWriter.write(first, List.of(x), Optional.of(labels(0, 1)), 2);
        TestDataSetWriter.write(second, List.of(x), Optional.of(labels(0, 1)), 2);
        // The writer refuses negative labels; another tool might not.
        Files.write(second.resolve("test_data_set_0/labels.pb"), OnnxMl.TensorProto.newBuilder().setName("labels")
            .setDataType(INT64).addDims(2).addInt64Data(0).addInt64Data(-1).build().toByteArray());
      }
    }
    Files.createDirectories(data);
    Files.move(first.resolve("test_data_set_0"), data.resolve("test_data_set_0"));
    Files.move(second.resolve("test_data_set_0"), data.resolve("test_data_set_1"));
    assertThatThrownBy(() -> DataDirectoryRows.read(data)).isInstanceOf(DataSetException.class)
        .hasMessageContaining(message);
  }
}
