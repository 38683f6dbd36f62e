package io.edgeai4j.module;

/** Handles messages arriving on one named input. Called on the host's input thread for that input. */
@FunctionalInterface
public interface InputHandler {
  /**
   * Handles one message.
   *
   * @param message The message, with {@code inputName} set.
   * @return What was done with it.
   * @throws Exception If handling failed; the host logs it, counts it and rejects the message. A retryable
   *     {@link io.edgeai4j.module.spi.TransportException} (or an exception caused by one), such as a
   *     {@link ModuleContext#send} while edgeHub reconnects, abandons the message instead, so that the hub
   *     keeps it and offers it again.
   */
  MessageDisposition handle(EdgeMessage message) throws Exception;
}
