package io.edgeai4j.optimize.quantize;

import java.util.Arrays;

/** numpy's {@code histogram} as ONNX Runtime's calibrators call it. Stateless. */
final class Histograms {
  private Histograms() {}

  /** {@code np.histogram(a, bins, range=(lo, hi))}: equal bins, the last one closed, values outside dropped. */
  static long[] equalBins(float[] values, int bins, double lo, double hi, long[] into) {
    if (lo == hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    double[] edges = edges(bins, lo, hi);
    long[] counts = into == null ? new long[bins] : into;
    double norm = bins / (hi - lo);
    for (float f : values) {
      double x = f;
      if (!(x >= lo && x <= hi)) {
        continue;
      }
      int i = (int) ((x - lo) * norm);
      if (i >= bins) {
        i = bins - 1;
      }
      if (x < edges[i]) {
        i--;
      } else if (i + 1 < bins && x >= edges[i + 1]) {
        i++;
      }
      counts[i]++;
    }
    return counts;
  }

  /** {@code np.linspace(lo, hi, bins + 1)}. */
  static double[] edges(int bins, double lo, double hi) {
    if (lo == hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    double[] edges = new double[bins + 1];
    double step = (hi - lo) / bins;
    for (int i = 0; i <= bins; i++) {
      edges[i] = lo + i * step;
    }
    edges[bins] = hi;
    return edges;
  }

  /** {@code np.histogram(a, bins=edges)}: values outside {@code [edges[0], edges[last]]} dropped, the last bin closed. */
  static void withEdges(float[] values, double[] edges, long[] counts) {
    int bins = edges.length - 1;
    for (float f : values) {
      double x = f;
      if (!(x >= edges[0] && x <= edges[bins])) {
        continue;
      }
      int i = Arrays.binarySearch(edges, x);
      if (i >= 0) {
        while (i + 1 < edges.length && edges[i + 1] == x) {
          i++;
        }
      } else {
        i = -i - 2;
      }
      counts[Math.min(i, bins - 1)]++;
    }
  }
}
