package io.edgeai4j.optimize.evaluate;

/** The models and the data cannot be compared; the message names the file, input or set and what was expected. */
public final class EvaluationException extends Exception {
  private static final long serialVersionUID = 1L;

  public EvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
