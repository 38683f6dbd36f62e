package io.edgeai4j.train.prune;

/** Pruning cannot proceed: the message names what was found and what was expected. */
public final class PruningException extends Exception {
  private static final long serialVersionUID = 1L;

  public PruningException(String message) {
    super(message);
  }

  public PruningException(String message, Throwable cause) {
    super(message, cause);
  }
}
