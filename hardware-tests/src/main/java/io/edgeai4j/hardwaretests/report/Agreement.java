package io.edgeai4j.hardwaretests.report;

/**
 * How a TensorRT engine's outputs compare with ONNX Runtime CPU's on the same inputs: the largest and mean absolute
 * difference over every output element, the tolerance of the precision, and the share of samples whose top-1 class is
 * the same. Immutable.
 */
public record Agreement(double maxAbsError, double meanAbsError, double tolerance, double top1Agreement) {

  /** Whether the largest difference is within the tolerance. */
  public boolean withinTolerance() {
    return maxAbsError <= tolerance;
  }
}
