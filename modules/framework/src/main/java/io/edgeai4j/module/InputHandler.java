package io.edgeai4j.module;

/** Handles messages arriving on one named input. Called on the host's input thread for that input. */
@FunctionalInterface
public interface InputHandler {
  /**
   * Handles one message.
   *
   * @param message The message, with {@code inputName} set.
   * @return What was done with it.
   * @throws Exception If handling failed; the host logs it, counts it and rejects the message.
   */
  MessageDisposition handle(EdgeMessage message) throws Exception;
}
