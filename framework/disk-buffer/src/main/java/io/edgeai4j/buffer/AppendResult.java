package io.edgeai4j.buffer;

/**
 * What one {@link DiskBuffer#append(byte[])} did.
 *
 * @param stored Whether the record was stored; false only under {@link OverflowPolicy#REJECT_NEWEST}.
 * @param droppedRecords How many of the oldest records {@link OverflowPolicy#DROP_OLDEST} removed to make room.
 * @param droppedBytes The payload bytes of those records (their lengths, without the on-disk frame).
 */
public record AppendResult(boolean stored, long droppedRecords, long droppedBytes) {
  static final AppendResult REJECTED = new AppendResult(false, 0, 0);
  static final AppendResult STORED = new AppendResult(true, 0, 0);
}
