package io.edgeai4j.optimize.quantize;

/** Accumulates one tensor's values batch by batch (nothing kept but the statistic), then gives its range. Not thread-safe. */
interface RangeCollector {
  void add(float[] values);

  /** The range; {@code [0, 0]} when no value was seen. */
  TensorRange range();
}
