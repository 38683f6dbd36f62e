package io.edgeai4j.optimize.evaluate;

import io.edgeai4j.optimize.data.DataTensor;
import java.nio.file.Path;
import java.util.Optional;

/** Running counts of one evaluation: accuracy, agreement and output error. Not thread-safe. */
final class Tally {
  private final int topK;
  long rows;
  long agree;
  long referenceTop1;
  long candidateTop1;
  long referenceTopK;
  long candidateTopK;
  long values;
  double sumAbs;
  double maxAbs;

  Tally(int topK) {
    this.topK = topK;
  }

  /** Adds one set: both models' outputs ({@code rows x perRow}, row-major) and its labels when it has them. */
  void add(Path set, double[] reference, double[] candidate, long rowCount, int perRow, Optional<DataTensor> labels)
      throws EvaluationException {
    double[] label = labels.map(DataTensor::values).orElse(null);
    for (int row = 0; row < rowCount; row++) {
      int from = row * perRow;
      int r = argmax(reference, from, perRow);
      int c = argmax(candidate, from, perRow);
      agree += r == c ? 1 : 0;
      if (label != null) {
        double l = label[row];
        if (l != Math.rint(l) || l < 0 || l >= perRow) {
          throw new EvaluationException(set.resolve("labels.pb") + ": row " + row + " has label " + l
              + "; expected a class index in [0, " + perRow + ") (the models' outputs per row)", null);
        }
        int k = (int) l;
        referenceTop1 += r == k ? 1 : 0;
        candidateTop1 += c == k ? 1 : 0;
        referenceTopK += rank(reference, from, perRow, k) < topK ? 1 : 0;
        candidateTopK += rank(candidate, from, perRow, k) < topK ? 1 : 0;
      }
      for (int i = from; i < from + perRow; i++) {
        double d = Math.abs(reference[i] - candidate[i]);
        sumAbs += d;
        maxAbs = Math.max(maxAbs, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
      }
      values += perRow;
      rows++;
    }
  }

  double fraction(long count) {
    return rows == 0 ? 0 : (double) count / rows;
  }

  /** The first index of the highest value. */
  static int argmax(double[] v, int from, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (v[from + i] > v[from + best]) {
        best = i;
      }
    }
    return best;
  }

  /** How many values rank above class {@code k}: higher, or equal at a lower index (as {@link #argmax} breaks ties). */
  static int rank(double[] v, int from, int length, int k) {
    int above = 0;
    double x = v[from + k];
    for (int i = 0; i < length; i++) {
      if (v[from + i] > x || (v[from + i] == x && i < k)) {
        above++;
      }
    }
    return above;
  }
}
