package io.edgeai4j.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Records that carry their own identity, and views of a buffer's directory, for the tests. */
final class TestRecords {
  private TestRecords() {}

  /** A record of {@code size} bytes (at least 8) that starts with {@code producer} and {@code sequence}. */
  static byte[] record(int producer, int sequence, int size) {
    if (size < 8) {
      throw new IllegalArgumentException("size must be at least 8, found " + size);
    }
    ByteBuffer bytes = ByteBuffer.allocate(size).putInt(producer).putInt(sequence);
    for (int i = 8; i < size; i++) {
      bytes.put((byte) (sequence * 31 + i));
    }
    return bytes.array();
  }

  /** A record of {@code size} bytes that starts with {@code sequence}. */
  static byte[] record(int sequence, int size) {
    return record(0, sequence, size);
  }

  static int producerOf(byte[] record) {
    return ByteBuffer.wrap(record).getInt(0);
  }

  static int sequenceOf(byte[] record) {
    return ByteBuffer.wrap(record).getInt(4);
  }

  /** Peeks and removes everything left, in order. */
  static List<byte[]> drain(DiskBuffer buffer) throws IOException {
    List<byte[]> records = new ArrayList<>();
    for (byte[] record = buffer.peek(); record != null; record = buffer.peek()) {
      records.add(record);
      buffer.remove();
    }
    return records;
  }

  /** The segment files in {@code directory}, oldest first. */
  static List<Path> segmentFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> Segment.idOf(f).isPresent()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies every file of an open buffer's directory: what a crash of the process would leave, since each
   * append and remove has been handed to the operating system before it returned.
   */
  static Path crashCopy(Path directory, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return target;
  }
}
