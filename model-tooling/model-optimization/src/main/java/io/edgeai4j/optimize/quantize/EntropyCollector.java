package io.edgeai4j.optimize.quantize;

/**
 * ONNX Runtime's Entropy calibration ({@code collect_value}, {@code merge_histogram}, {@code get_entropy_threshold}):
 * a histogram over {@code [-t, t]}, t the largest |x| (widened by whole bins when a later batch goes further); of the
 * symmetric windows of at least {@code quantizedBins} bins, the one whose requantized distribution has the least KL
 * divergence from the clipped one, clamped to the values seen.
 */
final class EntropyCollector implements RangeCollector {
  private final int initialBins;
  private final int quantizedBins;
  private long[] hist;
  private double threshold;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  EntropyCollector(int bins, int quantizedBins) {
    this.initialBins = bins;
    this.quantizedBins = quantizedBins;
  }

  @Override
  public void add(float[] values) {
    float batchMin = 0;
    float batchMax = 0;
    if (values.length > 0) {
      batchMin = Float.POSITIVE_INFINITY;
      batchMax = Float.NEGATIVE_INFINITY;
      for (float v : values) {
        batchMin = Math.min(batchMin, v);
        batchMax = Math.max(batchMax, v);
      }
    }
    double t = Math.max(Math.abs(batchMin), Math.abs(batchMax));
    min = Math.min(min, batchMin);
    max = Math.max(max, batchMax);
    if (hist == null) {
      hist = Histograms.equalBins(values, initialBins, -t, t, null);
      threshold = t;
    } else if (t <= threshold) {
      Histograms.equalBins(values, hist.length, -threshold, threshold, hist);
    } else if (threshold == 0) {
      long[] old = hist;
      hist = Histograms.equalBins(values, old.length, -t, t, null);
      for (int i = 0; i < old.length; i++) {
        hist[i] += old[i];
      }
      threshold = t;
    } else {
      int oldBins = hist.length;
      double stride = 2 * threshold / oldBins;
      int half = (int) (Math.floor((t - threshold) / stride) + 1);
      int newBins = oldBins + 2 * half;
      double newThreshold = half * stride + threshold;
      long[] grown = Histograms.equalBins(values, newBins, -newThreshold, newThreshold, null);
      for (int i = 0; i < oldBins; i++) {
        grown[half + i] += hist[i];
      }
      hist = grown;
      threshold = newThreshold;
    }
  }

  @Override
  public TensorRange range() {
    if (hist == null) {
      return new TensorRange(0, 0);
    }
    double[] edges = Histograms.edges(hist.length, -threshold, threshold);
    int bins = hist.length;
    int zero = bins / 2;
    int halfQuantized = quantizedBins / 2;
    double best = Double.POSITIVE_INFINITY;
    double lo = edges[0];
    double hi = edges[bins];
    boolean found = false;
    for (int i = halfQuantized; i <= zero; i++) {
      int start = zero - i;
      int end = Math.min(zero + i + 1, bins);
      double kl = divergence(start, end);
      if (!found || kl < best) {
        best = kl;
        lo = edges[start];
        hi = edges[end];
        found = true;
      }
    }
    return new TensorRange((float) Math.max(lo, min), (float) Math.min(hi, max));
  }

  private double divergence(int start, int end) {
    int size = end - start;
    long[] p = new long[size];
    System.arraycopy(hist, start, p, 0, size);
    for (int i = 0; i < start; i++) {
      p[0] += hist[i];
    }
    for (int i = end; i < hist.length; i++) {
      p[size - 1] += hist[i];
    }
    long[] quantized = new long[quantizedBins];
    int merged = size / quantizedBins;
    for (int index = 0; index < quantizedBins; index++) {
      for (int j = index * merged; j < index * merged + merged; j++) {
        quantized[index] += hist[start + j];
      }
    }
    for (int j = quantizedBins * merged; j < size; j++) {
      quantized[quantizedBins - 1] += hist[start + j];
    }
    long[] q = new long[size];
    for (int index = 0; index < quantizedBins; index++) {
      int from = index * merged;
      int norm = 0;
      for (int j = from; j < from + merged; j++) {
        norm += p[j] != 0 ? 1 : 0;
      }
      if (norm != 0) {
        for (int j = from; j < from + merged; j++) {
          q[j] = (long) ((double) quantized[index] / norm); // numpy stores it in an int64 array: truncated
        }
      }
    }
    double[] ps = smooth(p);
    double[] qs = smooth(q);
    if (ps == null || qs == null) {
      return Double.POSITIVE_INFINITY;
    }
    return entropy(ps, qs);
  }

  /** {@code smooth_distribution(p, eps=0.0001)}, in float32 as ONNX Runtime; null when every bin is zero. */
  static double[] smooth(long[] p) {
    int zeros = 0;
    for (long v : p) {
      zeros += v == 0 ? 1 : 0;
    }
    int nonZeros = p.length - zeros;
    if (nonZeros == 0) {
      return null;
    }
    float eps = 0.0001f;
    float eps1 = (float) (0.0001 * zeros / nonZeros);
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i] == 0 ? (float) p[i] + eps : (float) p[i] - eps1;
    }
    return out;
  }

  /** {@code scipy.stats.entropy(p, q)}: both normalized, {@code sum p log(p / q)}. */
  static double entropy(double[] p, double[] q) {
    double sp = 0;
    double sq = 0;
    for (int i = 0; i < p.length; i++) {
      sp += p[i];
      sq += q[i];
    }
    double kl = 0;
    for (int i = 0; i < p.length; i++) {
      double pi = p[i] / sp;
      double qi = q[i] / sq;
      if (pi > 0) {
        kl += pi * Math.log(pi / qi);
      }
    }
    return kl;
  }
}
