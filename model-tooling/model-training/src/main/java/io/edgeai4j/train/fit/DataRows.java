package io.edgeai4j.train.fit;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Rows of one float32 input, with a class index each when the data is labelled, held in memory. Immutable: the arrays
 * are not copied in (the constructor takes ownership) and never written.
 *
 * @param values Every row's values, row after row.
 * @param rowShape One row's shape, e.g. {@code [1, 28, 28]}.
 * @param labels One class index per row, or null for unlabelled rows.
 */
public record DataRows(float[] values, long[] rowShape, int[] labels) {
  public DataRows {
    Objects.requireNonNull(values, "values");
    rowShape = rowShape.clone();
    long size = size(rowShape);
    if (size == 0 || values.length % size != 0) {
      throw new IllegalArgumentException(values.length + " values are not whole rows of shape "
          + Arrays.toString(rowShape));
    }
    if (labels != null) {
      new LabelledRows(values, rowShape, labels); // checks the count and signs, naming the row
    }
  }

  /** Labelled rows as {@link DataRows}. */
  public static DataRows of(LabelledRows rows) {
    return new DataRows(rows.values(), rows.rowShape(), rows.labels());
  }

  /** Unlabelled rows. */
  public static DataRows unlabelled(float[] values, long[] rowShape) {
    return new DataRows(values, rowShape, null);
  }

  public int rows() {
    return (int) (values.length / size(rowShape));
  }

  public int rowSize() {
    return (int) size(rowShape);
  }

  @Override
  public long[] rowShape() {
    return rowShape.clone();
  }

  /** The rows with their labels, when they have them. */
  public Optional<LabelledRows> labelled() {
    return labels == null ? Optional.empty() : Optional.of(new LabelledRows(values, rowShape, labels));
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive), copied, labels with them. */
  public DataRows slice(int from, int to) {
    int size = rowSize();
    return new DataRows(Arrays.copyOfRange(values, from * size, to * size), rowShape,
        labels == null ? null : Arrays.copyOfRange(labels, from, to));
  }

  static long size(long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return size;
  }
}
