package io.edgeai4j.buffer;

/** What {@link DiskBuffer#append(byte[])} does when a record would take the buffer over its {@code maxBytes}. */
public enum OverflowPolicy {
  /** Removes the oldest records until the new one fits; the removed records are counted as dropped. */
  DROP_OLDEST,
  /** Stores nothing and returns {@code stored=false}; the record is counted as rejected. */
  REJECT_NEWEST
}
