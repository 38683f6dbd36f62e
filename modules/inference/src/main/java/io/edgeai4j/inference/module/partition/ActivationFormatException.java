package io.edgeai4j.inference.module.partition;

/**
 * A payload on input {@code activations} that is not a valid activations payload (wrong magic or version, a checksum
 * that does not match, a header that does not hold its tensors); the message names what was found and what was
 * expected.
 */
public final class ActivationFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  ActivationFormatException(String message) {
    super(message);
  }
}
