package io.edgeai4j.train;

/**
 * A model that cannot be trained as asked (an op without a training kernel, an attribute it does not carry, data that
 * does not fit the model); the message names the node, op or file and what was expected.
 */
public final class TrainingException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
