package io.edgeai4j.module.spi;

/** Thrown when the hub does not accept an operation, or cannot be reached. */
public class TransportException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param message What failed and why.
   * @param retryable Whether the same operation may succeed later.
   * @param cause The underlying error, or null.
   */
  public TransportException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Returns whether the same operation may succeed later. */
  public boolean isRetryable() {
    return retryable;
  }
}
