package io.edgeai4j.training;

import java.util.List;

/**
 * The fixed, non-learned part of the model's input transform: {@code ln(x + offset[i])} for the columns whose
 * values are energies, amplitudes or ratios (they span decades and faults scale them by factors), and {@code x}
 * for the others (skewness, which is signed). Stateless; thread-safe.
 *
 * <p>The offsets keep the logarithm's argument positive: excess kurtosis is at least -2 (offset 3 makes it the
 * plain kurtosis), and {@value #FLOOR} guards energies that are 0.
 */
public final class LogCompression {
  /** Added to every logged column, so that a zero energy stays finite. */
  public static final double FLOOR = 1e-9;
  /** Which columns of {@link FeatureVector#FIELDS} are logged. */
  private static final List<String> LINEAR = List.of("skewness");

  private LogCompression() {}

  /** Whether column {@code i} is logged. */
  public static boolean logged(int i) {
    return !LINEAR.contains(FeatureVector.FIELDS.get(i));
  }

  /** The offset added to column {@code i} before its logarithm (0 for a linear column). */
  public static double offset(int i) {
    if (!logged(i)) {
      return 0;
    }
    return FeatureVector.FIELDS.get(i).equals("kurtosis") ? 3 + FLOOR : FLOOR;
  }

  /** The compressed copy of a raw feature row. */
  public static double[] apply(double[] row) {
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = logged(i) ? Math.log(Math.max(row[i] + offset(i), FLOOR)) : row[i];
    }
    return out;
  }
}
