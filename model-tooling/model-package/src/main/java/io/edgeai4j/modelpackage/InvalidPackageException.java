package io.edgeai4j.modelpackage;

/** A model package (the ZIP file) or its {@code model.onnx} is not what docs/model-updates.md defines. */
public final class InvalidPackageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message What was found (naming the entry) and what was expected. */
  public InvalidPackageException(String message) {
    super(message);
  }

  /**
   * @param message What was found (naming the entry) and what was expected.
   * @param cause The parser's or the ZIP reader's exception.
   */
  public InvalidPackageException(String message, Throwable cause) {
    super(message, cause);
  }
}
