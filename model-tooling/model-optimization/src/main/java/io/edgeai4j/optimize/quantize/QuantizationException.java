package io.edgeai4j.optimize.quantize;

/** A model that cannot be quantized as asked, or calibration data that does not fit it; the message says why. */
public final class QuantizationException extends Exception {
  private static final long serialVersionUID = 1L;

  public QuantizationException(String message) {
    super(message);
  }

  public QuantizationException(String message, Throwable cause) {
    super(message, cause);
  }
}
