package io.edgeai4j.cli.model;

/**
 * {@code edge model status|promote|abort} failed or refused; the message says what was found and what was expected,
 * and {@link #exitCode()} is the command's exit code (from {@link io.edgeai4j.cli.ExitCodes}).
 */
final class RolloutException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  RolloutException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  RolloutException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
