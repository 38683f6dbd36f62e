package io.edgeai4j.train.fit;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a data directory in ONNX's test-data layout ({@link TestDataSets}: {@code test_data_set_<n>/input_0.pb} and,
 * when labelled, {@code labels.pb}) into {@link DataRows}, set by set. Training takes one-input models, so each set must
 * hold exactly {@code input_0.pb}, a float32 tensor {@code [rows, ...]} whose row shape is the same in every set; the
 * labels are integers 0 or more; either every set has {@code labels.pb} or none does. Stateless, thread-safe.
 */
public final class DataDirectoryRows {
  private DataDirectoryRows() {}

  /**
   * Every row of {@code dir}, in the order of its sets.
   *
   * @throws DataSetException Naming the set or file that does not fit, what was found and what was expected.
   */
  public static DataRows read(Path dir) throws DataSetException {
    TestDataSets sets = TestDataSets.open(dir);
    long[] rowShape = null;
    float[][] parts = new float[sets.size()][];
    int[][] labelParts = new int[sets.size()][];
    Boolean labelled = null;
    long total = 0;
    int s = 0;
    for (var it = sets.iterator(); it.hasNext(); s++) {
      TestDataSets.DataSet set;
      try {
        set = it.next();
      } catch (TestDataSets.DataSetUncheckedException e) {
        throw e.getCause();
      }
      Path input = set.directory().resolve("input_0.pb");
      if (set.inputs().size() != 1) {
        throw new DataSetException(set.directory(), "holds " + set.inputs().size() + " inputs (input_0.pb ... input_"
            + (set.inputs().size() - 1) + ".pb); training reads one-input models only, expected input_0.pb alone",
            null);
      }
      DataTensor x = set.inputs().get(0);
      if (x.elementType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        throw new DataSetException(input, "holds " + typeName(x.elementType()) + " values; training expects float32",
            null);
      }
      long[] shape = x.shape();
      if (shape.length < 2 || shape[0] < 1) {
        throw new DataSetException(input, "has shape " + Arrays.toString(shape) + "; expected [rows, ...] with at"
            + " least one row and one value per row", null);
      }
      long[] row = Arrays.copyOfRange(shape, 1, shape.length);
      if (rowShape == null) {
        rowShape = row;
      } else if (!Arrays.equals(rowShape, row)) {
        throw new DataSetException(input, "holds rows of shape " + Arrays.toString(row) + "; the sets before it hold "
            + Arrays.toString(rowShape) + ", expected the same in every set", null);
      }
      if (labelled == null) {
        labelled = set.labels().isPresent();
      } else if (labelled != set.labels().isPresent()) {
        throw new DataSetException(set.directory(), (labelled ? "has no labels.pb; the sets before it have one"
            : "has labels.pb; the sets before it have none") + ", expected labels in every set or in none", null);
      }
      double[] v = x.values();
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      parts[s] = f;
      total += f.length;
      if (set.labels().isPresent()) {
        labelParts[s] = labels(set.directory().resolve("labels.pb"), set.labels().get().values());
      }
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new DataSetException(dir, "holds " + total + " values; rows are held in memory, at most "
          + (Integer.MAX_VALUE - 16) + " values", null);
    }
    float[] values = new float[(int) total];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, values, at, p.length);
      at += p.length;
    }
    int[] labels = null;
    if (Boolean.TRUE.equals(labelled)) {
      labels = Arrays.stream(labelParts).flatMapToInt(Arrays::stream).toArray();
    }
    return new DataRows(values, rowShape, labels);
  }

  private static int[] labels(Path file, double[] values) throws DataSetException {
    int[] labels = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw new DataSetException(file, "label " + v + " of row " + i + "; expected a class index, an integer 0 or"
            + " more", null);
      }
      labels[i] = (int) v;
    }
    return labels;
  }

  private static String typeName(int elementType) {
    OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(elementType);
    return t == null ? "element type " + elementType : t.name().toLowerCase(Locale.ROOT);
  }
}
