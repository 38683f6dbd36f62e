package io.edgeai4j.edgehub.wire;

/** Thrown for a topic or property bag that edgeHub's MQTT surface does not define; the message names what was
 *  found and what was expected. */
public final class WireFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message What was found and what was expected.
   */
  public WireFormatException(String message) {
    super(message);
  }
}
