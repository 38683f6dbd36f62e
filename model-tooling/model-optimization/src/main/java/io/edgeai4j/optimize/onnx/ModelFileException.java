package io.edgeai4j.optimize.onnx;

import java.nio.file.Path;

/** An ONNX model file that cannot be read, written or loaded; the message names the file and what was wrong. */
public final class ModelFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ModelFileException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The model file concerned. */
  public Path file() {
    return file;
  }
}
