package io.edgeai4j.module;

/** What an input handler did with a message, as the hub understands it. */
public enum MessageDisposition {
  /** Processed; the hub may forget the message. */
  COMPLETE,
  /**
   * Not processed now. The module host offers the message to the handler again after a growing delay, and
   * dead-letters it (output {@code deadLetters}) after the last attempt; see
   * {@link io.edgeai4j.module.host.ModuleHost}. Returned to a transport, it means the hub keeps the message.
   */
  ABANDON,
  /** Never processable; the hub drops it. edgeai4j logs and counts every rejection. */
  REJECT
}
