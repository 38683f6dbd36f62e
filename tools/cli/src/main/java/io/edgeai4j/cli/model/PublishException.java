package io.edgeai4j.cli.model;

/**
 * A step of {@code edge model publish} failed; the message says which step, what was found and what was expected,
 * and {@link #exitCode()} is the command's exit code (from {@link io.edgeai4j.cli.ExitCodes}).
 */
public final class PublishException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** @param exitCode The exit code the command ends with. */
  public PublishException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** @param exitCode The exit code the command ends with. */
  public PublishException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The exit code the command ends with. */
  public int exitCode() {
    return exitCode;
  }
}
