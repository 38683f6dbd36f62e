package io.edgeai4j.module;

/** What an input handler did with a message, as the hub understands it. */
public enum MessageDisposition {
  /** Processed; the hub may forget the message. */
  COMPLETE,
  /** Not processed now; the hub keeps the message and delivers it again. */
  ABANDON,
  /** Never processable; the hub drops it. edgeai4j logs and counts every rejection. */
  REJECT
}
