package io.edgeai4j.optimize.data;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import io.edgeai4j.inference.backend.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes a data directory in ONNX's test-data layout, the one {@link TestDataSets} reads:
 * {@code DIR/test_data_set_<n>/input_<i>.pb} (a serialized {@code TensorProto} with the tensor's name, its values in
 * {@code raw_data}, little-endian, in the tensor's own element type) and {@code labels.pb} (int64, one per row) when
 * labels are given. The rows are cut into sets of {@code rowsPerSet} (the last set holds the rest), in order.
 * Refuses a directory that already holds something, so no earlier data is mixed in or lost. Stateless, thread-safe.
 */
public final class TestDataSetWriter {
  private TestDataSetWriter() {}

  /** What was written: the number of sets and rows. */
  public record Written(int sets, long rows) {}

  /**
   * Writes the sets.
   *
   * @param inputs The model's inputs in order; each holds every row (the first dimension), all the same row count.
   * @param labels Class indices, one per row (their values are written as int64), or empty for unlabelled data.
   * @param rowsPerSet Rows in each set, at least 1.
   * @throws DataSetException When {@code root} is not empty or cannot be written.
   * @throws IllegalArgumentException When the inputs disagree on the row count, a tensor has no row dimension, the
   *     labels do not hold one integer per row, or an element type cannot be written.
   */
  public static Written write(Path root, List<DataTensor> inputs, Optional<DataTensor> labels, int rowsPerSet)
      throws DataSetException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no input tensor to write");
    }
    if (rowsPerSet < 1) {
      throw new IllegalArgumentException("rows per set must be at least 1, found " + rowsPerSet);
    }
    long rows = -1;
    for (DataTensor t : inputs) {
      if (t.shape().length == 0) {
        throw new IllegalArgumentException("input '" + t.name() + "' is a scalar; expected a first dimension of rows");
      }
      if (rows >= 0 && t.rows() != rows) {
        throw new IllegalArgumentException("input '" + t.name() + "' holds " + t.rows() + " rows, input '"
            + inputs.get(0).name() + "' " + rows + "; expected the same rows in every input");
      }
      rows = t.rows();
    }
    if (labels.isPresent()) {
      DataTensor l = labels.get();
      if (l.shape().length != 1 || l.rows() != rows) {
        throw new IllegalArgumentException("labels '" + l.name() + "' have shape " + java.util.Arrays.toString(l.shape())
            + "; expected [" + rows + "] (one class index per row)");
      }
      for (double v : l.values()) {
        if (v != Math.rint(v) || v < 0) {
          throw new IllegalArgumentException("labels '" + l.name() + "' hold " + v
              + "; expected non-negative integer class indices");
        }
      }
    }
    if (rows == 0) {
      throw new IllegalArgumentException("the inputs hold no row; expected at least one");
    }
    prepare(root);
    int sets = 0;
    double[][] values = inputs.stream().map(DataTensor::values).toArray(double[][]::new);
    double[] labelValues = labels.map(DataTensor::values).orElse(null);
    for (long first = 0; first < rows; first += rowsPerSet, sets++) {
      long count = Math.min(rowsPerSet, rows - first);
      Path set = root.resolve("test_data_set_" + sets);
      try {
        Files.createDirectories(set);
        for (int i = 0; i < inputs.size(); i++) {
          DataTensor t = inputs.get(i);
          long[] shape = t.shape();
          int rowSize = (int) (values[i].length / rows);
          shape[0] = count;
          Files.write(set.resolve("input_" + i + ".pb"), proto(t.name(), t.elementType(), shape, values[i],
              (int) (first * rowSize), (int) (count * rowSize)).toByteArray());
        }
        if (labelValues != null) {
          Files.write(set.resolve("labels.pb"), proto("labels", DataType.INT64_VALUE, new long[] {count}, labelValues,
              (int) first, (int) count).toByteArray());
        }
      } catch (IOException e) {
        throw new DataSetException(set, "cannot be written: " + e, e);
      }
    }
    return new Written(sets, rows);
  }

  private static void prepare(Path root) throws DataSetException {
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw new DataSetException(root, "exists and is not a directory; expected a new or empty directory", null);
      }
      try (Stream<Path> children = Files.list(root)) {
        if (children.findAny().isPresent()) {
          throw new DataSetException(root, "is not empty; refusing to mix new sets with what it holds", null);
        }
      } catch (IOException e) {
        throw new DataSetException(root, "cannot be listed: " + e, e);
      }
    }
  }

  /** One tensor (rows {@code [from, from + length)} of {@code values}) as a {@code TensorProto} with raw data. */
  static OnnxMl.TensorProto proto(String name, int elementType, long[] shape, double[] values, int from, int length) {
    DataType type = DataType.forNumber(elementType);
    int size = switch (type == null ? DataType.UNDEFINED : type) {
      case DOUBLE, INT64, UINT64 -> 8;
      case FLOAT, INT32, UINT32 -> 4;
      case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
      case INT8, UINT8, BOOL -> 1;
      default -> throw new IllegalArgumentException("tensor '" + name + "': element type " + elementType
          + " cannot be written; expected a numeric type");
    };
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(length, size)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < from + length; i++) {
      double v = values[i];
      switch (type) {
        case DOUBLE -> b.putDouble(v);
        case FLOAT -> b.putFloat((float) v);
        case INT64 -> b.putLong((long) v);
        case UINT64 -> b.putLong(v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v);
        case INT32, UINT32 -> b.putInt((int) (long) v);
        case INT16, UINT16 -> b.putShort((short) (long) v);
        case FLOAT16 -> b.putShort(HalfFloats.floatToFloat16((float) v));
        case BFLOAT16 -> b.putShort(HalfFloats.floatToBfloat16((float) v));
        default -> b.put((byte) (long) v);
      }
    }
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(elementType)
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : shape) {
      t.addDims(d);
    }
    return t.build();
  }
}
