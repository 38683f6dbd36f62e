package io.edgeai4j.cli.model.perf;

/** A sweep that cannot run or fails; the message names what was found and what was expected. */
public final class PerfException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /**
   * @param exitCode The {@code edge} exit code ({@link io.edgeai4j.cli.ExitCodes}) the command returns.
   */
  public PerfException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The {@code edge} exit code for this failure. */
  public int exitCode() {
    return exitCode;
  }
}
