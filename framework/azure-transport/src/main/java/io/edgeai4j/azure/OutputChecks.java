package io.edgeai4j.azure;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageTooLargeException;

/** The checks both transports make before they send a message to an output. Stateless; thread-safe. */
public final class OutputChecks {
  private OutputChecks() {}

  /**
   * Checks that the output has a name and the message fits edgeHub's limit.
   *
   * @throws IllegalArgumentException If the output name is empty.
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}.
   */
  public static void requireSendable(String outputName, EdgeMessage message) {
    if (outputName.isEmpty()) {
      throw new IllegalArgumentException("Output name must not be empty");
    }
    int size = message.sizeInBytes();
    if (size > EdgeMessage.MAX_SIZE_BYTES) {
      throw new MessageTooLargeException(outputName, size);
    }
  }
}
