package io.edgeai4j.module;

/** Thrown when the desired properties do not bind to a module's configuration type. */
public final class DesiredPropertiesException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message What was found and what was expected.
   * @param cause The binding error.
   */
  public DesiredPropertiesException(String message, Throwable cause) {
    super(message, cause);
  }
}
