package io.edgeai4j.module;

/**
 * Thrown when a message is larger than edgeHub accepts. edgeHub refuses any message over
 * {@value EdgeMessage#MAX_SIZE_BYTES} bytes and the limit is not configurable, so edgeai4j refuses it
 * before it leaves the module.
 */
public final class MessageTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int sizeBytes;

  /**
   * Creates the exception.
   *
   * @param outputName The output the message was sent to.
   * @param sizeBytes The size of the message as edgeHub counts it.
   */
  public MessageTooLargeException(String outputName, int sizeBytes) {
    super("Message for output '" + outputName + "' is " + sizeBytes + " bytes (body and properties), over"
        + " edgeHub's limit of " + EdgeMessage.MAX_SIZE_BYTES + " bytes, which is not configurable."
        + " Send a reference instead: write the payload to a shared volume or blob store and send"
        + " its path or URL.");
    this.sizeBytes = sizeBytes;
  }

  /** Returns the size of the refused message, in bytes. */
  public int sizeBytes() {
    return sizeBytes;
  }
}
