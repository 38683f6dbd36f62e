package io.edgeai4j.inference.serving;

/**
 * A model's outputs differ from its golden samples (or a sample could not run); the message names the sample, the
 * output, the element, the values found and expected and the tolerance.
 */
public final class GoldenCheckException extends Exception {
  private static final long serialVersionUID = 1L;

  public GoldenCheckException(String message) {
    super(message);
  }
}
