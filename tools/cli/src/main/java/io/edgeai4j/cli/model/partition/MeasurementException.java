package io.edgeai4j.cli.model.partition;

/** A measurement that could not be made or whose answers were wrong or missing; the message says which and why. */
public final class MeasurementException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public MeasurementException(String message) {
    super(message);
  }

  /** With a message and its cause. */
  public MeasurementException(String message, Throwable cause) {
    super(message, cause);
  }
}
