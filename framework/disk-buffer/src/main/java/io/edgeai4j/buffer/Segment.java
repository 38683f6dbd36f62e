package io.edgeai4j.buffer;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file: an 8-byte header ({@code int} magic, {@code int} version), then frames
 * {@code [int length][int crc32][length bytes]}, where the CRC-32 covers the four length bytes and the
 * payload (so a run of zero bytes is not a valid empty record). Keeps the offsets of its oldest unconsumed
 * record and of its end, and the count and frame bytes of its unconsumed records. Not thread-safe: the
 * {@link DiskBuffer}'s lock guards it. Owns its file channel, opened on demand and closed by
 * {@link #release()} or {@link #delete()}.
 */
final class Segment implements Closeable {
  static final int MAGIC = 0x45414442; // "EADB"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 8;
  static final int FRAME_BYTES = 8;
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".seg";
  private static final Logger log = LoggerFactory.getLogger(Segment.class);

  private final long id;
  private final Path file;
  private FileChannel channel;
  private long readOffset;
  private long endOffset;
  private long records;
  private long frameBytes;

  private Segment(long id, Path file, long readOffset, long endOffset, long records, long frameBytes) {
    this.id = id;
    this.file = file;
    this.readOffset = readOffset;
    this.endOffset = endOffset;
    this.records = records;
    this.frameBytes = frameBytes;
  }

  /** The file of segment {@code id}; names sort in id order. */
  static Path fileOf(Path directory, long id) {
    return directory.resolve(String.format("%s%019d%s", PREFIX, id, SUFFIX));
  }

  /** The id in a segment file's name, or empty when the file is not a segment. */
  static OptionalLong idOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return OptionalLong.empty();
    }
    String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Creates a new, empty segment file with its header. */
  static Segment create(Path directory, long id) throws IOException {
    Path file = fileOf(directory, id);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).flip();
      writeFully(channel, header, 0);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      deleteQuietly(file, e);
      throw e;
    }
    Segment segment = new Segment(id, file, HEADER_BYTES, HEADER_BYTES, 0, 0);
    segment.channel = channel;
    return segment;
  }

  /**
   * Reads an existing segment file: checks its header, counts its intact records from the read position
   * on, and cuts off whatever follows the last intact record (a torn write).
   *
   * @param readOffset Where the consumer stopped in this segment ({@link #HEADER_BYTES} when it never
   *     read from it); when it is not a record boundary, reading resumes at the boundary before it.
   * @param last Whether this is the newest segment, the only one a crash can leave torn.
   * @return The segment, or null when the newest segment is shorter than its header (a torn creation; the
   *     file is deleted).
   * @throws IOException If the header is not a segment header (the message names the file and what was
   *     found) or the file cannot be read.
   */
  static Segment recover(Path directory, long id, long readOffset, boolean last) throws IOException {
    Path file = fileOf(directory, id);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (size < HEADER_BYTES && !last) {
        throw new IOException("Disk buffer segment " + file + " is corrupt: expected a " + HEADER_BYTES
            + "-byte header, found a file of " + size + " bytes");
      }
      if (size >= HEADER_BYTES) {
        return checkHeaderAndScan(channel, id, file, size, readOffset, last);
      }
      log.warn("Disk buffer segment {} is {} bytes long, shorter than its {}-byte header: a crash while it was"
          + " created; deleting it", file, size, HEADER_BYTES);
    }
    Files.delete(file);
    return null;
  }

  private static Segment checkHeaderAndScan(FileChannel channel, long id, Path file, long size, long readOffset,
      boolean last) throws IOException {
    ByteBuffer header = readFully(channel, 0, HEADER_BYTES);
    int magic = header.getInt();
    int version = header.getInt();
    if (magic != MAGIC || version != VERSION) {
      throw new IOException(String.format("Disk buffer segment %s is corrupt or not a segment: expected magic"
          + " 0x%08X and version %d, found magic 0x%08X and version %d", file, MAGIC, VERSION, magic, version));
    }
    return scan(channel, id, file, size, readOffset, last);
  }

  private static Segment scan(FileChannel channel, long id, Path file, long size, long wantedOffset, boolean last)
      throws IOException {
    long position = HEADER_BYTES;
    long startOffset = HEADER_BYTES;
    long records = 0;
    long frameBytes = 0;
    String tornReason = null;
    CRC32 crc = new CRC32();
    byte[] chunk = new byte[64 * 1024];
    DataInputStream in = new DataInputStream(new BufferedInputStream(
        Channels.newInputStream(channel.position(HEADER_BYTES)), 64 * 1024));
    while (true) {
      if (position <= wantedOffset) {
        startOffset = position;
        records = 0;
        frameBytes = 0;
      }
      long left = size - position;
      if (left == 0) {
        break;
      }
      if (left < FRAME_BYTES) {
        tornReason = "an incomplete frame header of " + left + " bytes";
        break;
      }
      int length = in.readInt();
      int storedCrc = in.readInt();
      if (length < 0 || length > left - FRAME_BYTES) {
        tornReason = "a frame length of " + length + " where at most " + (left - FRAME_BYTES) + " bytes are left";
        break;
      }
      crc.reset();
      updateLength(crc, length);
      int remaining = length;
      while (remaining > 0) {
        int n = Math.min(remaining, chunk.length);
        in.readFully(chunk, 0, n);
        crc.update(chunk, 0, n);
        remaining -= n;
      }
      if ((int) crc.getValue() != storedCrc) {
        tornReason = "a record of " + length + " bytes whose CRC-32 does not match";
        break;
      }
      position += FRAME_BYTES + length;
      records++;
      frameBytes += FRAME_BYTES + length;
    }
    if (tornReason != null) {
      long cut = size - position;
      if (last) {
        log.warn("Disk buffer segment {}: found {} at offset {} (a write torn by a crash); cutting off the last {}"
            + " bytes", file, tornReason, position, cut);
      } else {
        log.error("Disk buffer segment {} is damaged: found {} at offset {}; cutting off the last {} bytes, whose"
            + " records are lost", file, tornReason, position, cut);
      }
      channel.truncate(position);
      channel.force(true);
    }
    if (wantedOffset > position) {
      log.warn("Disk buffer read position {} in {} lies beyond its last intact record, which ends at {}: the segment"
          + " counts as consumed", wantedOffset, file, position);
    } else if (wantedOffset != startOffset) {
      log.warn("Disk buffer read position {} in {} is not a record boundary; resuming at {} (records may be"
          + " delivered again)", wantedOffset, file, startOffset);
    }
    return new Segment(id, file, startOffset, position, records, frameBytes);
  }

  long id() {
    return id;
  }

  Path file() {
    return file;
  }

  /** The offset of the oldest unconsumed record (or of the end, when none is left). */
  long readOffset() {
    return readOffset;
  }

  /** The offset where the next record goes. */
  long endOffset() {
    return endOffset;
  }

  /** The number of unconsumed records. */
  long records() {
    return records;
  }

  /** The bytes of the unconsumed records, frames included. */
  long frameBytes() {
    return frameBytes;
  }

  /** Writes one record at the end; on failure cuts the file back to where it was and rethrows. */
  void append(byte[] record) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES + record.length);
    frame.putInt(record.length).putInt(crcOf(record)).put(record).flip();
    FileChannel channel = channel();
    try {
      writeFully(channel, frame, endOffset);
    } catch (IOException e) {
      try {
        channel.truncate(endOffset);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    endOffset += FRAME_BYTES + record.length;
    records++;
    frameBytes += FRAME_BYTES + record.length;
  }

  /** The length of the oldest unconsumed record, read from its frame. */
  int headLength() throws IOException {
    requireRecord();
    ByteBuffer frame = readFully(channel(), readOffset, FRAME_BYTES);
    return checkedLength(frame.getInt());
  }

  /** The oldest unconsumed record, checked against its CRC-32. */
  byte[] readHead() throws IOException {
    requireRecord();
    ByteBuffer frame = readFully(channel(), readOffset, FRAME_BYTES);
    int length = checkedLength(frame.getInt());
    int storedCrc = frame.getInt();
    byte[] record = new byte[length];
    ByteBuffer payload = ByteBuffer.wrap(record);
    FileChannel channel = channel();
    long at = readOffset + FRAME_BYTES;
    while (payload.hasRemaining()) {
      int n = channel.read(payload, at);
      if (n < 0) {
        throw new EOFException("Disk buffer segment " + file + " ends inside the record at offset " + readOffset);
      }
      at += n;
    }
    if (crcOf(record) != storedCrc) {
      throw new IOException("Disk buffer segment " + file + " is damaged: the record of " + length
          + " bytes at offset " + readOffset + " does not match its CRC-32");
    }
    return record;
  }

  /**
   * Reads each unconsumed record, oldest first, checked against its CRC-32, without consuming any. A segment
   * whose channel is closed (neither head nor tail) is read through a channel opened and closed here.
   */
  void forEachRecord(DiskBuffer.RecordVisitor visitor) throws IOException {
    FileChannel open = channel;
    FileChannel reading = open != null ? open : FileChannel.open(file, StandardOpenOption.READ);
    try {
      long at = readOffset;
      while (at < endOffset) {
        ByteBuffer frame = readFully(reading, at, FRAME_BYTES);
        int length = frame.getInt();
        int storedCrc = frame.getInt();
        long left = endOffset - at - FRAME_BYTES;
        if (length < 0 || length > left) {
          throw new IOException("Disk buffer segment " + file + " is damaged: the frame at offset " + at
              + " gives a length of " + length + " where at most " + left + " bytes are left");
        }
        byte[] record = readFully(reading, at + FRAME_BYTES, length).array();
        if (crcOf(record) != storedCrc) {
          throw new IOException("Disk buffer segment " + file + " is damaged: the record of " + length
              + " bytes at offset " + at + " does not match its CRC-32");
        }
        visitor.visit(record);
        at += FRAME_BYTES + length;
      }
    } finally {
      if (open == null) {
        reading.close();
      }
    }
  }

  /** Marks the oldest unconsumed record, of {@code length} bytes, as consumed. */
  void consumeHead(int length) {
    readOffset += FRAME_BYTES + length;
    records--;
    frameBytes -= FRAME_BYTES + length;
  }

  /** The channel if it is open, else null: for forcing outside the buffer's lock (it may be closed meanwhile). */
  FileChannel openChannel() {
    return channel;
  }

  /** Forces the written bytes to the storage device. */
  void force() throws IOException {
    if (channel != null) {
      channel.force(false);
    }
  }

  /** Closes the channel; the file stays. Idempotent. */
  @Override
  public void close() throws IOException {
    FileChannel open = channel;
    channel = null;
    if (open != null) {
      open.close();
    }
  }

  /** Closes the channel and deletes the file. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(file);
  }

  private FileChannel channel() throws IOException {
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return channel;
  }

  private void requireRecord() {
    if (records == 0) {
      throw new IllegalStateException("segment " + file + " has no unconsumed record");
    }
  }

  private int checkedLength(int length) throws IOException {
    long left = endOffset - readOffset - FRAME_BYTES;
    if (length < 0 || length > left) {
      throw new IOException("Disk buffer segment " + file + " is damaged: the frame at offset " + readOffset
          + " gives a length of " + length + " where at most " + left + " bytes are left");
    }
    return length;
  }

  static int crcOf(byte[] record) {
    CRC32 crc = new CRC32();
    updateLength(crc, record.length);
    crc.update(record, 0, record.length);
    return (int) crc.getValue();
  }

  private static void updateLength(CRC32 crc, int length) {
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
  }

  static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("expected " + length + " bytes at offset " + position + ", found only "
            + buffer.position());
      }
      at += n;
    }
    return buffer.flip();
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private static void closeQuietly(Closeable closeable, Exception failure) {
    try {
      closeable.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static void deleteQuietly(Path file, Exception failure) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
