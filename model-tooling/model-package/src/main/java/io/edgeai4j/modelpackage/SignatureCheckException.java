package io.edgeai4j.modelpackage;

/**
 * A model release's signature does not check out against the configured public key: missing, not base64, not
 * verifying, or the key is of an unsupported algorithm or curve. The message says which.
 */
public final class SignatureCheckException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message What was found and what was expected. */
  public SignatureCheckException(String message) {
    super(message);
  }

  /**
   * @param message What was found and what was expected.
   * @param cause The JCA exception behind it.
   */
  public SignatureCheckException(String message, Throwable cause) {
    super(message, cause);
  }
}
