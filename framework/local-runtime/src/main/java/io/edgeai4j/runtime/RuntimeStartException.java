package io.edgeai4j.runtime;

/** Thrown when {@code edge run} cannot start; everything already started has been stopped. */
public final class RuntimeStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message What failed.
   * @param cause The underlying error, or null.
   */
  public RuntimeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
