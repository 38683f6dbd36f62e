package io.edgeai4j.hardwaretests.report;

/**
 * How a TensorRT engine's outputs compare with ONNX Runtime CPU's on the same inputs: the largest and mean absolute
 * difference over every output element, the tolerance of the precision, and the share of samples whose top-1 class is
 * the same. Immutable.
 */
public record Agreement(double maxAbsError, double meanAbsError, double tolerance, double top1Agreement) {

  /** Whether the largest difference is within the tolerance. */
  public boolean withinTolerance() {
    return maxAbsError <= tolerance;
  }

  /**
   * Compares two outputs of the same rows, {@code classes} values per row (row-major, as a {@code [rows, classes]}
   * tensor): max and mean |reference - candidate| over every value, and the share of rows whose largest value is at
   * the same index (the first one on ties).
   *
   * @throws IllegalArgumentException The lengths differ, are not a whole number of rows, or hold no row; a value is
   *     not finite (naming the row and class).
   */
  public static Agreement compare(float[] reference, float[] candidate, int classes, double tolerance) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes " + classes + ", expected at least 1");
    }
    if (reference.length != candidate.length) {
      throw new IllegalArgumentException("reference has " + reference.length + " values, candidate "
          + candidate.length + "; expected the same rows of " + classes + " classes");
    }
    if (reference.length == 0 || reference.length % classes != 0) {
      throw new IllegalArgumentException(reference.length + " values, expected a positive multiple of " + classes
          + " classes");
    }
    double max = 0;
    double sum = 0;
    int rows = reference.length / classes;
    int same = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < classes; c++) {
        int i = r * classes + c;
        if (!Float.isFinite(reference[i]) || !Float.isFinite(candidate[i])) {
          throw new IllegalArgumentException("row " + r + " class " + c + ": reference " + reference[i]
              + ", candidate " + candidate[i] + "; expected finite values");
        }
        double d = Math.abs((double) reference[i] - candidate[i]);
        max = Math.max(max, d);
        sum += d;
      }
      if (top1(reference, r, classes) == top1(candidate, r, classes)) {
        same++;
      }
    }
    return new Agreement(max, sum / reference.length, tolerance, (double) same / rows);
  }

  /** The index of the largest of row {@code row}'s {@code classes} values (the first on ties). */
  public static int top1(float[] values, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (values[row * classes + c] > values[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }

  /** The share of rows whose top-1 class is {@code labels[row]}. */
  public static double accuracy(float[] values, int classes, int[] labels) {
    if (values.length != labels.length * classes || labels.length == 0) {
      throw new IllegalArgumentException(values.length + " values for " + labels.length + " labels, expected "
          + classes + " values per label and at least one label");
    }
    int correct = 0;
    for (int r = 0; r < labels.length; r++) {
      if (top1(values, r, classes) == labels[r]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }
}
