package io.edgeai4j.optimize.data;

import java.nio.file.Path;

/** A data directory or tensor file that cannot be used; the message names the file and what was wrong. */
public final class DataSetException extends Exception {
  private static final long serialVersionUID = 1L;

  public DataSetException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
