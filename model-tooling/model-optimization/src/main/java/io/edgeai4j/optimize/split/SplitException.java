package io.edgeai4j.optimize.split;

/** A split that cannot be made: the message names what was found (a tensor, a path, a layer) and what was expected. */
public final class SplitException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A refusal with its reason. */
  public SplitException(String message) {
    super(message);
  }

  /** A refusal caused by another error (ONNX Runtime, I/O). */
  public SplitException(String message, Throwable cause) {
    super(message, cause);
  }
}
