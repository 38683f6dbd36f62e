package io.edgeai4j.optimize.quantize;

/** ONNX Runtime's MinMax calibration: the min of the batch minima and the max of the batch maxima (NaNs ignored). */
final class MinMaxCollector implements RangeCollector {
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  @Override
  public void add(float[] values) {
    for (float v : values) {
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
    }
  }

  @Override
  public TensorRange range() {
    return min > max ? new TensorRange(0, 0) : new TensorRange(min, max);
  }
}
