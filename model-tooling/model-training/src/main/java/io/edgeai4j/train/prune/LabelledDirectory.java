package io.edgeai4j.train.prune;

import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.train.fit.LabelledRows;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a labelled data directory (ONNX's test-data layout with {@code labels.pb} in each set, as
 * {@code edge model dataset} writes it) into {@link LabelledRows}: one float input, one class index per row.
 */
public final class LabelledDirectory {
  private LabelledDirectory() {}

  /** @throws PruningException A set without labels, with several inputs, or of another row shape than the first. */
  public static LabelledRows read(Path dir) throws PruningException {
    TestDataSets sets;
    try {
      sets = TestDataSets.open(dir);
    } catch (DataSetException e) {
      throw new PruningException(e.getMessage(), e);
    }
    java.util.List<float[]> chunks = new java.util.ArrayList<>();
    java.util.List<int[]> labelChunks = new java.util.ArrayList<>();
    long[] rowShape = null;
    int rows = 0;
    try {
      for (TestDataSets.DataSet set : sets) {
        if (set.inputs().size() != 1) {
          throw new PruningException(set.directory() + ": holds " + set.inputs().size() + " inputs; training reads"
              + " one float input");
        }
        DataTensor labelTensor = set.labels().orElseThrow(() -> new PruningException(set.directory()
            + ": has no labels.pb; fine-tuning needs a class index per row (unlabelled data: use `edge model"
            + " distill`)"));
        DataTensor in = set.inputs().get(0);
        long[] shape = in.shape();
        long[] row = Arrays.copyOfRange(shape, 1, shape.length);
        if (rowShape == null) {
          rowShape = row;
        } else if (!Arrays.equals(rowShape, row)) {
          throw new PruningException(set.directory() + ": rows of shape " + Arrays.toString(row) + ", expected "
              + Arrays.toString(rowShape) + " as in the first set");
        }
        double[] v = in.values();
        double[] l = labelTensor.values();
        if (l.length != shape[0]) {
          throw new PruningException(set.directory() + ": " + l.length + " labels for " + shape[0] + " rows");
        }
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
          f[k] = (float) v[k];
        }
        int[] c = new int[l.length];
        for (int k = 0; k < l.length; k++) {
          c[k] = (int) l[k];
        }
        chunks.add(f);
        labelChunks.add(c);
        rows += l.length;
      }
    } catch (TestDataSets.DataSetUncheckedException e) {
      throw new PruningException(e.getCause().getMessage(), e.getCause());
    }
    if (rows == 0) {
      throw new PruningException(dir + ": holds no rows");
    }
    float[] values = new float[chunks.stream().mapToInt(a -> a.length).sum()];
    int[] labels = new int[rows];
    int at = 0;
    for (float[] f : chunks) {
      System.arraycopy(f, 0, values, at, f.length);
      at += f.length;
    }
    at = 0;
    for (int[] c : labelChunks) {
      System.arraycopy(c, 0, labels, at, c.length);
      at += c.length;
    }
    return new LabelledRows(values, rowShape, labels);
  }
}
