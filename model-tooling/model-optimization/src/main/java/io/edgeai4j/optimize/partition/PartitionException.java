package io.edgeai4j.optimize.partition;

/** A profile or plan that cannot be made: the message names what was found and what was expected. */
public final class PartitionException extends Exception {
  private static final long serialVersionUID = 1L;

  public PartitionException(String message) {
    super(message);
  }

  public PartitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
