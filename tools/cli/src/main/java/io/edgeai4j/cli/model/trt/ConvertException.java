package io.edgeai4j.cli.model.trt;

/** Why {@code edge model convert --to tensorrt} stops, with the exit code to stop with. */
public final class ConvertException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public ConvertException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
