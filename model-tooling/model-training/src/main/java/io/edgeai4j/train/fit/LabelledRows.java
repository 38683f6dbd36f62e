package io.edgeai4j.train.fit;

import java.util.Arrays;
import java.util.Objects;

/**
 * Rows of one float32 input with a class index each, held in memory for shuffled mini-batches. Immutable: the arrays
 * are not copied in (the constructor takes ownership) and never written.
 *
 * @param values Every row's values, row after row.
 * @param rowShape One row's shape, e.g. {@code [1, 28, 28]}.
 * @param labels One class index per row, 0 to {@code classes - 1}.
 */
public record LabelledRows(float[] values, long[] rowShape, int[] labels) {
  public LabelledRows {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(labels, "labels");
    rowShape = rowShape.clone();
    long size = rowSize(rowShape);
    if (size == 0 || values.length != size * labels.length) {
      throw new IllegalArgumentException(labels.length + " rows of shape " + Arrays.toString(rowShape) + " need "
          + size * labels.length + " values, found " + values.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is negative");
      }
    }
  }

  /** Rows held. */
  public int rows() {
    return labels.length;
  }

  /** Values per row. */
  public int rowSize() {
    return (int) rowSize(rowShape);
  }

  @Override
  public long[] rowShape() {
    return rowShape.clone();
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public LabelledRows slice(int from, int to) {
    int size = rowSize();
    return new LabelledRows(Arrays.copyOfRange(values, from * size, to * size), rowShape,
        Arrays.copyOfRange(labels, from, to));
  }

  private static long rowSize(long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return size;
  }
}
