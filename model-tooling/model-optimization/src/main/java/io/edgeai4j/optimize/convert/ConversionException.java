package io.edgeai4j.optimize.convert;

/** A model that a conversion refuses, with the reason (the op, the node, the opsets or the setting involved). */
public final class ConversionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }

  public ConversionException(String message, Throwable cause) {
    super(message, cause);
  }
}
