package io.edgeai4j.inference.backend;

/**
 * A run failed. {@link #badInput()} tells the caller's mistake (a missing or malformed input; answered as a
 * bad request) from a failure of the model or backend.
 */
public class InferenceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean badInput;

  public InferenceException(String message, boolean badInput, Throwable cause) {
    super(message, cause);
    this.badInput = badInput;
  }

  /** Whether the inputs were wrong (rather than the model or backend failing). */
  public boolean badInput() {
    return badInput;
  }
}
