package io.edgeai4j.optimize.quantize;

/** The real range {@code [min, max]} calibration found for one tensor. */
public record TensorRange(float min, float max) {
  public TensorRange {
    if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
      throw new IllegalArgumentException("a range needs min <= max, found [" + min + ", " + max + "]");
    }
  }
}
