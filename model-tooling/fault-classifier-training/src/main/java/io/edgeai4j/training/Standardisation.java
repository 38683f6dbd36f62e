package io.edgeai4j.training;

import java.util.Arrays;
import java.util.List;

/**
 * Per-column centring and scaling, {@code (x - mean[i]) / scale[i]}, fitted on training rows. Immutable; the
 * accessors return copies.
 *
 * @param mean Column means.
 * @param scale Column standard deviations (1 where a column is constant).
 */
public record Standardisation(double[] mean, double[] scale) {
  /** Validates and copies. */
  public Standardisation {
    if (mean.length != scale.length) {
      throw new IllegalArgumentException("mean and scale must have one value per column, found " + mean.length
          + " and " + scale.length);
    }
    for (int i = 0; i < scale.length; i++) {
      if (!(scale[i] > 0) || Double.isInfinite(scale[i]) || !Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("column " + i + ": mean must be finite and scale positive and finite, "
            + "found mean " + mean[i] + " and scale " + scale[i]);
      }
    }
    mean = mean.clone();
    scale = scale.clone();
  }

  /** Fits the population mean and standard deviation of each column of {@code rows}. */
  public static Standardisation fit(List<double[]> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("cannot fit a standardisation on no rows");
    }
    int n = rows.get(0).length;
    double[] mean = new double[n];
    double[] m2 = new double[n];
    for (double[] row : rows) {
      for (int i = 0; i < n; i++) {
        mean[i] += row[i];
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] /= rows.size();
    }
    for (double[] row : rows) {
      for (int i = 0; i < n; i++) {
        double d = row[i] - mean[i];
        m2[i] += d * d;
      }
    }
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      double sd = Math.sqrt(m2[i] / rows.size());
      scale[i] = sd > 0 ? sd : 1;
    }
    return new Standardisation(mean, scale);
  }

  /** The standardised copy of {@code row}. */
  public double[] apply(double[] row) {
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = (row[i] - mean[i]) / scale[i];
    }
    return out;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Standardisation that && Arrays.equals(mean, that.mean) && Arrays.equals(scale, that.scale);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Standardisation[mean=" + Arrays.toString(mean) + ", scale=" + Arrays.toString(scale) + "]";
  }
}
