package io.edgeai4j.optimize.quantize;

/**
 * How activation ranges are taken from calibration data, with ONNX Runtime's defaults ({@code calibrate.py}
 * {@code create_calibrator}, 1.30).
 */
public enum CalibrationMethod {
  /** The smallest and largest value seen. */
  MINMAX,
  /** A histogram of |x| (2048 bins); the range is where its CDF reaches 99.999 %, symmetric. */
  PERCENTILE,
  /** A histogram over [-t, t] (128 bins); the symmetric window of at least 128 bins with the least KL divergence. */
  ENTROPY;

  /** A fresh collector for one tensor. */
  RangeCollector collector() {
    return switch (this) {
      case MINMAX -> new MinMaxCollector();
      case PERCENTILE -> new PercentileCollector(2048, 99.999);
      case ENTROPY -> new EntropyCollector(128, 128);
    };
  }
}
