package io.edgeai4j.buffer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's place, in a small file of two 32-byte slots written in turn: {@code int} magic,
 * {@code long} sequence, {@code long} segment id, {@code long} offset, {@code int} CRC-32 of the 28 bytes
 * before it. A write overwrites the older slot only, so a write torn by a crash leaves the other one
 * intact; on open the valid slot with the higher sequence wins. A position (s, o) means: every record in
 * segments before s, and every record in segment s before offset o, has been consumed. Not thread-safe:
 * the {@link DiskBuffer}'s lock guards it. Owns its channel.
 */
final class ReadPositionFile implements Closeable {
  static final String FILE_NAME = "read-position";
  private static final int MAGIC = 0x45415250; // "EARP"
  private static final int SLOT_BYTES = 32;
  private static final Logger log = LoggerFactory.getLogger(ReadPositionFile.class);

  /** Where the consumer stands: segment id and the offset of the next unconsumed record in it. */
  record Position(long segmentId, long offset) {}

  private final Path file;
  private final FileChannel channel;
  private final Position recovered;
  private long sequence;

  private ReadPositionFile(Path file, FileChannel channel, Position recovered, long sequence) {
    this.file = file;
    this.channel = channel;
    this.recovered = recovered;
    this.sequence = sequence;
  }

  /** Opens (or creates) the file in {@code directory} and reads the newest intact position. */
  static ReadPositionFile open(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    boolean existed = Files.exists(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      Position best = null;
      long bestSequence = -1;
      boolean anyWritten = false;
      for (int slot = 0; slot < 2; slot++) {
        if (size < (slot + 1L) * SLOT_BYTES) {
          anyWritten |= size > slot * (long) SLOT_BYTES;
          continue;
        }
        ByteBuffer bytes = Segment.readFully(channel, slot * (long) SLOT_BYTES, SLOT_BYTES);
        anyWritten |= !isZero(bytes);
        int magic = bytes.getInt(0);
        long slotSequence = bytes.getLong(4);
        long segmentId = bytes.getLong(12);
        long offset = bytes.getLong(20);
        int crc = bytes.getInt(28);
        if (magic == MAGIC && crc == crcOf(bytes) && slotSequence > bestSequence && segmentId >= 0 && offset >= 0) {
          best = new Position(segmentId, offset);
          bestSequence = slotSequence;
        }
      }
      if (best == null && existed && anyWritten) {
        log.warn("Disk buffer read position file {} holds no intact position; delivering every stored record"
            + " again", file);
      }
      return new ReadPositionFile(file, channel, best, Math.max(bestSequence, 0));
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The position read on open, or null when none was ever written (or none is intact). */
  Position recovered() {
    return recovered;
  }

  /** Hands a new position to the operating system, and to the device when {@code force}. */
  void write(long segmentId, long offset, boolean force) throws IOException {
    long next = sequence + 1;
    ByteBuffer bytes = ByteBuffer.allocate(SLOT_BYTES);
    bytes.putInt(MAGIC).putLong(next).putLong(segmentId).putLong(offset);
    bytes.putInt(crcOf(bytes));
    bytes.flip();
    Segment.writeFully(channel, bytes, (next % 2) * SLOT_BYTES);
    sequence = next;
    if (force) {
      channel.force(false);
    }
  }

  /** Forces the latest position to the storage device. */
  void force() throws IOException {
    channel.force(false);
  }

  /** Closes the file. Idempotent. */
  @Override
  public void close() throws IOException {
    channel.close();
  }

  Path file() {
    return file;
  }

  private static int crcOf(ByteBuffer slot) {
    CRC32 crc = new CRC32();
    crc.update(slot.array(), 0, SLOT_BYTES - 4);
    return (int) crc.getValue();
  }

  private static boolean isZero(ByteBuffer bytes) {
    for (int i = 0; i < bytes.limit(); i++) {
      if (bytes.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
