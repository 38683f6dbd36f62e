package io.edgeai4j.inference.serving;

/** The model repository or a {@code model.json} is wrong; the message names the path and the problem. */
public class ModelRepositoryException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelRepositoryException(String message) {
    super(message);
  }

  public ModelRepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
