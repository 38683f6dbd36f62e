package io.edgeai4j.inference.backend;

/** A backend could not open, or could not load a model; the message says which file and why. */
public class BackendException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
