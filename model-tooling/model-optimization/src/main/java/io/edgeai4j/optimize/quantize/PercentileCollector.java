package io.edgeai4j.optimize.quantize;

import java.util.Arrays;

/**
 * ONNX Runtime's Percentile calibration ({@code collect_absolute_value}, {@code compute_percentile}, symmetric): a
 * histogram of |x| whose bins are those of the first batch, extended by bins of the same width when a later batch goes
 * higher; the threshold is the edge where the CDF reaches the percentile, the range {@code (-t, t)} clamped to the
 * values seen.
 */
final class PercentileCollector implements RangeCollector {
  private final int bins;
  private final double percentile;
  private double[] edges;
  private long[] counts;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  PercentileCollector(int bins, double percentile) {
    this.bins = bins;
    this.percentile = percentile;
  }

  @Override
  public void add(float[] values) {
    if (values.length == 0) {
      return;
    }
    float[] abs = new float[values.length];
    float absMin = Float.POSITIVE_INFINITY;
    float absMax = 0;
    for (int i = 0; i < values.length; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
      abs[i] = Math.abs(values[i]);
      absMin = Math.min(absMin, abs[i]);
      absMax = Math.max(absMax, abs[i]);
    }
    if (edges == null) {
      edges = Histograms.edges(bins, absMin, absMax);
      counts = Histograms.equalBins(abs, bins, edges[0], edges[bins], null);
      return;
    }
    double last = edges[edges.length - 1];
    if (absMax > last) {
      double width = edges[1] - edges[0];
      int extra = (int) Math.ceil((absMax + width - (last + width)) / width);
      double[] grown = Arrays.copyOf(edges, edges.length + extra);
      for (int i = 0; i < extra; i++) {
        grown[edges.length + i] = last + width + i * width;
      }
      edges = grown;
      counts = Arrays.copyOf(counts, edges.length - 1);
    }
    Histograms.withEdges(abs, edges, counts);
  }

  @Override
  public TensorRange range() {
    if (edges == null) {
      return new TensorRange(0, 0);
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double target = percentile / 100.0;
    double cdf = 0;
    int index = counts.length;
    for (int i = 0; i < counts.length; i++) {
      cdf += (double) counts[i] / total;
      if (cdf >= target) {
        index = i;
        break;
      }
    }
    float threshold = (float) edges[Math.min(index, edges.length - 1)];
    return new TensorRange(Math.max(-threshold, min), Math.min(threshold, max));
  }
}
