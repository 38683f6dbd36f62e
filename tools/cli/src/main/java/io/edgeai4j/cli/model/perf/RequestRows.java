package io.edgeai4j.cli.model.perf;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rows a sweep sends: each a request of one row per model input (shape {@code [1, ...]}), taken in turn; and
 * batches of them for the bare ONNX Runtime run. Made from seeded random values of the model's input shapes or read
 * from a data directory in ONNX's test-data layout. Immutable; thread-safe.
 */
final class RequestRows {
  /** Distinct random rows made: requests cycle through them. */
  static final int RANDOM_ROWS = 64;
  /** The most rows read from a data directory; the sets after are not read. */
  static final int MAX_DATA_ROWS = 4096;

  private final List<Map<String, Tensor>> rows;
  private final String source;

  private RequestRows(List<Map<String, Tensor>> rows, String source) {
    this.rows = List.copyOf(rows);
    this.source = source;
  }

  /**
   * {@value #RANDOM_ROWS} rows of seeded random values: floating point uniform in [-1, 1), integers 0 to 9, booleans
   * either.
   *
   * @throws IllegalArgumentException When an input has an open dimension other than the first, naming it.
   */
  static RequestRows random(List<TensorSpec> inputs, long seed) {
    Random random = new Random(seed);
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (int r = 0; r < RANDOM_ROWS; r++) {
      Map<String, Tensor> row = new LinkedHashMap<>();
      for (TensorSpec spec : inputs) {
        long[] shape = randomRowShape(spec);
        int count = Math.toIntExact(Tensor.elementCount(shape));
        ByteBuffer data = ByteBuffer.allocateDirect(count * spec.type().bytes()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
          put(data, spec.type(), randomValue(spec.type(), random));
        }
        data.flip();
        row.put(spec.name(), Tensor.wrap(spec.name(), spec.type(), shape, data));
      }
      rows.add(row);
    }
    return new RequestRows(rows, "random (seed " + seed + ")");
  }

  private static long[] randomRowShape(TensorSpec spec) {
    long[] shape = spec.shape();
    checkFirstDimension(spec);
    if (shape.length > 0) {
      shape[0] = 1;
    }
    for (int d = 1; d < shape.length; d++) {
      if (shape[d] < 1) {
        throw new IllegalArgumentException("input '" + spec.name() + "' is " + spec + ": dimension " + d
            + " is open, so random rows have no shape; give --data DIR with rows of the shape to send");
      }
    }
    return shape;
  }

  private static void checkFirstDimension(TensorSpec spec) {
    long[] shape = spec.shape();
    if (shape.length == 0 || (shape[0] != -1 && shape[0] != 1)) {
      throw new IllegalArgumentException("input '" + spec.name() + "' is " + spec + "; perf sends one row per"
          + " request, so the first dimension must be open (-1) or 1");
    }
  }

  private static double randomValue(ElementType type, Random random) {
    if (type.isFloatingPoint()) {
      return random.nextDouble() * 2 - 1;
    }
    return type == ElementType.BOOL ? random.nextInt(2) : random.nextInt(10);
  }

  /**
   * The rows of a data directory's sets, in order (at most {@value #MAX_DATA_ROWS}), {@code input_<i>.pb} feeding
   * the model's input {@code i}.
   *
   * @throws DataSetException When a file cannot be read, or a set's inputs do not fit the model's (naming the file,
   *     what it holds and what the model expects).
   */
  static RequestRows read(List<TensorSpec> inputs, Path directory) throws DataSetException {
    inputs.forEach(RequestRows::checkFirstDimension);
    TestDataSets sets = TestDataSets.open(directory);
    List<Map<String, Tensor>> rows = new ArrayList<>();
    var it = sets.iterator();
    long total = 0;
    while (it.hasNext() && rows.size() < MAX_DATA_ROWS) {
      TestDataSets.DataSet set;
      try {
        set = it.next();
      } catch (TestDataSets.DataSetUncheckedException e) {
        throw e.getCause();
      }
      if (set.inputs().size() != inputs.size()) {
        throw new DataSetException(set.directory(), "holds " + set.inputs().size() + " input_<i>.pb, the model has "
            + inputs.size() + " inputs " + inputs, null);
      }
      long count = set.inputs().get(0).rows();
      total += count;
      for (int i = 0; i < inputs.size(); i++) {
        check(set.directory().resolve("input_" + i + ".pb"), inputs.get(i), set.inputs().get(i), count);
      }
      for (long r = 0; r < count && rows.size() < MAX_DATA_ROWS; r++) {
        Map<String, Tensor> row = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
          row.put(inputs.get(i).name(), row(inputs.get(i), set.inputs().get(i), r));
        }
        rows.add(row);
      }
    }
    boolean more = it.hasNext() || rows.size() < total;
    return new RequestRows(rows, "data " + directory + " (" + rows.size() + " rows"
        + (more ? ": the first " + MAX_DATA_ROWS + ", the rest not read" : "") + ")");
  }

  private static void check(Path file, TensorSpec spec, DataTensor tensor, long rows) throws DataSetException {
    int expectedType = onnxType(spec.type());
    if (tensor.elementType() != expectedType) {
      throw new DataSetException(file, "holds ONNX element type " + tensor.elementType() + ", input '" + spec.name()
          + "' is " + spec.type().spelling() + " (ONNX type " + expectedType + ")", null);
    }
    long[] shape = tensor.shape();
    long[] expected = spec.shape();
    boolean fits = shape.length == expected.length && tensor.rows() == rows && rows > 0;
    for (int d = 1; fits && d < shape.length; d++) {
      fits = expected[d] == -1 || expected[d] == shape[d];
    }
    if (!fits) {
      throw new DataSetException(file, "has shape " + Arrays.toString(shape) + ", input '" + spec.name() + "' is "
          + spec + (tensor.rows() != rows ? "; and every input of a set must hold the same rows (" + rows + ")" : ""),
          null);
    }
  }

  private static Tensor row(TensorSpec spec, DataTensor tensor, long r) {
    long[] shape = tensor.shape();
    shape[0] = 1;
    int width = Math.toIntExact(Tensor.elementCount(shape));
    double[] values = tensor.values();
    ByteBuffer data = ByteBuffer.allocateDirect(width * spec.type().bytes()).order(ByteOrder.nativeOrder());
    for (int i = 0; i < width; i++) {
      put(data, spec.type(), values[Math.toIntExact(r * width + i)]);
    }
    data.flip();
    return Tensor.wrap(spec.name(), spec.type(), shape, data);
  }

  /** ONNX's {@code TensorProto.DataType} number of an element type. */
  static int onnxType(ElementType type) {
    return switch (type) {
      case FLOAT32 -> 1;
      case UINT8 -> 2;
      case INT8 -> 3;
      case INT32 -> 6;
      case INT64 -> 7;
      case BOOL -> 9;
      case FLOAT16 -> 10;
      case FLOAT64 -> 11;
      case BFLOAT16 -> 16;
    };
  }

  private static void put(ByteBuffer data, ElementType type, double value) {
    switch (type) {
      case FLOAT32 -> data.putFloat((float) value);
      case FLOAT64 -> data.putDouble(value);
      case FLOAT16 -> data.putShort(HalfFloats.floatToFloat16((float) value));
      case BFLOAT16 -> data.putShort(HalfFloats.floatToBfloat16((float) value));
      case INT8, UINT8 -> data.put((byte) (long) value);
      case BOOL -> data.put((byte) (value != 0 ? 1 : 0));
      case INT32 -> data.putInt((int) (long) value);
      case INT64 -> data.putLong((long) value);
    }
  }

  /** The number of distinct rows. */
  int size() {
    return rows.size();
  }

  /** Request {@code i}'s inputs: row {@code i} modulo {@link #size()}. */
  Map<String, Tensor> request(long i) {
    return rows.get((int) Math.floorMod(i, (long) rows.size()));
  }

  /** A batch of {@code size} rows (rows 0, 1, ... in turn), each input stacked along its first dimension. */
  Map<String, Tensor> batch(int size) {
    Map<String, Tensor> batch = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> input : rows.get(0).entrySet()) {
      Tensor first = input.getValue();
      long[] shape = first.shape();
      shape[0] = size;
      int rowBytes = first.data().remaining();
      ByteBuffer data = ByteBuffer.allocateDirect(rowBytes * size).order(ByteOrder.nativeOrder());
      for (int r = 0; r < size; r++) {
        data.put(rows.get(r % rows.size()).get(input.getKey()).data());
      }
      data.flip();
      batch.put(input.getKey(), Tensor.wrap(input.getKey(), first.type(), shape, data));
    }
    return batch;
  }

  /** Where the rows come from, for the report. */
  String source() {
    return source;
  }
}
