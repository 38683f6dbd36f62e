package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.crashCopy;
import static io.edgeai4j.buffer.TestRecords.drain;
import static io.edgeai4j.buffer.TestRecords.record;
import static io.edgeai4j.buffer.TestRecords.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskBufferRecoveryTest {
  private static final int RECORD_BYTES = 100;
  private static final int FRAME_BYTES = RECORD_BYTES + 8;

  @TempDir
  Path temp;

  private static DiskBufferOptions options(Path directory) {
    return DiskBufferOptions.builder(directory).segmentBytes(1024).maxBytes(1024 * 1024).build();
  }

  private static List<byte[]> records(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> record(i, RECORD_BYTES)).toList();
  }

  @Test
  void reopeningReturnsTheRecordsNotYetRemovedInOrder() throws Exception {
    Path directory = temp.resolve("buffer");
    long sizeBytes;
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      for (byte[] record : records(0, 50)) {
        buffer.append(record);
      }
      for (int i = 0; i < 13; i++) {
        buffer.peek();
        buffer.remove();
      }
      sizeBytes = buffer.sizeBytes();
    }
    try (DiskBuffer reopened = DiskBuffer.open(options(directory))) {
      assertThat(reopened.size()).isEqualTo(37);
      assertThat(reopened.sizeBytes()).isEqualTo(sizeBytes);
      reopened.append(record(50, RECORD_BYTES));
      assertThat(drain(reopened)).containsExactlyElementsOf(records(13, 51));
    }
  }

  @Test
  void aCrashOfTheProcessLosesNoAppendAndReturnsNoRemovedRecord() throws Exception {
    Path directory = temp.resolve("buffer");
    Path crashed;
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      for (byte[] record : records(0, 40)) {
        buffer.append(record);
      }
      for (int i = 0; i < 21; i++) {
        buffer.peek();
        buffer.remove();
      }
      crashed = crashCopy(directory, temp.resolve("crashed"));
    }
    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(drain(recovered)).containsExactlyElementsOf(records(21, 40));
    }
  }

  /** Crashes in the middle of writing record 29 (the last), cut at each part of its frame. */
  @ParameterizedTest(name = "{0} bytes of the last frame written")
  @CsvSource({
      "1, inside the length",
      "4, after the length",
      "7, inside the CRC",
      "8, after the frame header",
      "58, inside the payload",
      "107, one byte short"})
  void cutsOffATornLastRecordAndKeepsTheIntactOnes(int writtenBytes, String where) throws Exception {
    Path crashed = crashedWith(30, (last, size) -> truncate(last, size - FRAME_BYTES + writtenBytes));

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(recovered.size()).as(where).isEqualTo(29);
      assertThat(Files.size(lastSegment(crashed))).as("torn bytes cut off").isEqualTo(lastSegmentEnd(29));
      recovered.append(record(100, RECORD_BYTES));
    }
    try (DiskBuffer reopened = DiskBuffer.open(options(crashed))) {
      List<byte[]> expected = new ArrayList<>(records(0, 29));
      expected.add(record(100, RECORD_BYTES));
      assertThat(drain(reopened)).containsExactlyElementsOf(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "random bytes, 37",
      "zeros, 64",
      "a frame header only, 8",
      "a frame claiming more bytes than follow, 20",
      "a frame with a wrong CRC, 108"})
  void cutsOffGarbageAfterTheLastRecord(String garbage, int garbageBytes) throws Exception {
    Path crashed = crashedWith(30, (last, size) -> append(last, garbage(garbage, garbageBytes)));

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(Files.size(lastSegment(crashed))).isEqualTo(lastSegmentEnd(30));
      recovered.append(record(100, RECORD_BYTES));
    }
    try (DiskBuffer reopened = DiskBuffer.open(options(crashed))) {
      List<byte[]> expected = new ArrayList<>(records(0, 30));
      expected.add(record(100, RECORD_BYTES));
      assertThat(drain(reopened)).containsExactlyElementsOf(expected);
    }
  }

  private static byte[] garbage(String kind, int size) {
    ByteBuffer bytes = ByteBuffer.allocate(size);
    switch (kind) {
      case "random bytes" -> new Random(7).nextBytes(bytes.array());
      case "zeros" -> { }
      case "a frame header only" -> bytes.putInt(100).putInt(Segment.crcOf(new byte[100]));
      case "a frame claiming more bytes than follow" -> bytes.putInt(1000).putInt(0);
      case "a frame with a wrong CRC" -> bytes.putInt(100).putInt(Segment.crcOf(new byte[100]) + 1);
      default -> throw new IllegalArgumentException(kind);
    }
    return bytes.array();
  }

  @Test
  void deletesANewestSegmentThatACrashLeftShorterThanItsHeader() throws Exception {
    Path crashed = crashedWith(18, (last, size) -> { }); // 18 records fill two segments exactly
    Path torn = Segment.fileOf(crashed, Segment.idOf(lastSegment(crashed)).getAsLong() + 1);
    Files.write(torn, new byte[] {0x45, 0x41, 0x44});

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(torn).doesNotExist();
      assertThat(drain(recovered)).containsExactlyElementsOf(records(0, 18));
    }
  }

  @Test
  void refusesASegmentWhoseHeaderIsNotASegmentHeaderAndNamesTheFile() throws Exception {
    Path crashed = crashedWith(30, (last, size) -> { });
    Path first = segmentFiles(crashed).get(0);
    try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap("JUNKJUNK".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
    }

    for (int attempt = 0; attempt < 2; attempt++) { // the failed open releases the directory
      assertThatThrownBy(() -> DiskBuffer.open(options(crashed)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(first.toString())
          .hasMessageContaining("expected magic 0x45414442 and version 1,")
          .hasMessageContaining("found magic 0x4A554E4B and version 1247104587"); // "JUNK", "JUNK"
    }
  }

  @Test
  void deletesSegmentsConsumedBeforeACrashThatCameBeforeTheirDeletion() throws Exception {
    Path directory = temp.resolve("buffer");
    Path crashed;
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      for (byte[] record : records(0, 30)) {
        buffer.append(record);
      }
      Path first = segmentFiles(directory).get(0);
      byte[] firstBytes = Files.readAllBytes(first);
      for (int i = 0; i < 12; i++) {
        buffer.remove();
      }
      assertThat(first).doesNotExist();
      crashed = crashCopy(directory, temp.resolve("crashed"));
      Files.write(crashed.resolve(first.getFileName()), firstBytes); // as if the deletion had not happened
    }
    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(segmentFiles(crashed)).hasSize(3);
      assertThat(drain(recovered)).containsExactlyElementsOf(records(12, 30));
    }
  }

  @Test
  void aTornReadPositionFallsBackToThePreviousOneAndDeliversOneRecordAgain() throws Exception {
    Path crashed = crashedWith(10, 4, (last, size) -> { });
    Path position = crashed.resolve(ReadPositionFile.FILE_NAME);
    // four removes wrote positions 1..4 into slots 1, 0, 1, 0: tear the newest, in slot 0
    try (FileChannel channel = FileChannel.open(position, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
    }

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(drain(recovered)).containsExactlyElementsOf(records(3, 10));
    }
  }

  @Test
  void anUnreadableReadPositionDeliversEveryStoredRecordAgain() throws Exception {
    Path crashed = crashedWith(10, 4, (last, size) -> { });
    byte[] garbage = new byte[64];
    Arrays.fill(garbage, (byte) 0x5A);
    Files.write(crashed.resolve(ReadPositionFile.FILE_NAME), garbage);

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(drain(recovered)).containsExactlyElementsOf(records(0, 10));
    }
  }

  @ParameterizedTest(name = "fsync={0}")
  @CsvSource({"ALWAYS", "INTERVAL", "NEVER"})
  void recoversTheSameWhateverTheFsyncPolicy(FsyncPolicy.Mode mode) throws Exception {
    DiskBufferOptions options = DiskBufferOptions.builder(temp.resolve("buffer")).segmentBytes(1024)
        .fsyncPolicy(new FsyncPolicy(mode, Duration.ofMillis(5))).build();
    Path crashed;
    try (DiskBuffer buffer = DiskBuffer.open(options)) {
      for (byte[] record : records(0, 25)) {
        buffer.append(record);
      }
      for (int i = 0; i < 11; i++) {
        buffer.peek();
        buffer.remove();
      }
      crashed = crashCopy(options.directory(), temp.resolve("crashed"));
    }
    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(drain(recovered)).containsExactlyElementsOf(records(11, 25));
    }
  }

  @Test
  void aReadPositionBetweenRecordBoundariesResumesAtTheBoundaryBeforeIt() throws Exception {
    Path crashed = crashedWith(5, (last, size) -> { });
    try (ReadPositionFile position = ReadPositionFile.open(crashed)) {
      position.write(0, 8 + 2 * FRAME_BYTES + 3, false); // three bytes into record 2
    }

    try (DiskBuffer recovered = DiskBuffer.open(options(crashed))) {
      assertThat(drain(recovered)).containsExactlyElementsOf(records(2, 5));
    }
  }

  @Test
  void aRecordDamagedWhileStoredFailsItsCheckOnPeekAndRemoveSkipsIt() throws Exception {
    Path directory = temp.resolve("buffer");
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      for (byte[] record : records(0, 3)) {
        buffer.append(record);
      }
      Path segment = segmentFiles(directory).get(0);
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(new byte[] {0x55}), 8 + FRAME_BYTES + 8 + 50); // record 1's payload
      }
      assertThat(buffer.peek()).isEqualTo(record(0, RECORD_BYTES));
      buffer.remove();

      assertThatThrownBy(buffer::peek)
          .isInstanceOf(IOException.class)
          .hasMessage("Disk buffer segment " + segment + " is damaged: the record of 100 bytes at offset 116 does"
              + " not match its CRC-32");
      assertThat(buffer.remove()).isTrue();
      assertThat(drain(buffer)).containsExactly(record(2, RECORD_BYTES));
    }
  }

  @Test
  void ignoresFilesThatAreNotSegments() throws Exception {
    Path directory = temp.resolve("buffer");
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("notes.txt"), "not a segment");
    Files.writeString(directory.resolve("segment-x.seg"), "not a segment either");
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      assertThat(buffer.isEmpty()).isTrue();
      buffer.append(record(0, RECORD_BYTES));
    }
    try (DiskBuffer reopened = DiskBuffer.open(options(directory))) {
      assertThat(drain(reopened)).containsExactly(record(0, RECORD_BYTES));
    }
  }

  private interface Damage {
    void apply(Path lastSegment, long size) throws IOException;
  }

  private Path crashedWith(int appended, Damage damage) throws IOException {
    return crashedWith(appended, 0, damage);
  }

  /** Appends records 0.. and removes some, copies the files as a crash would leave them, and damages the copy. */
  private Path crashedWith(int appended, int removed, Damage damage) throws IOException {
    Path directory = temp.resolve("buffer");
    Path crashed;
    try (DiskBuffer buffer = DiskBuffer.open(options(directory))) {
      for (byte[] record : records(0, appended)) {
        buffer.append(record);
      }
      for (int i = 0; i < removed; i++) {
        buffer.peek();
        buffer.remove();
      }
      crashed = crashCopy(directory, temp.resolve("crashed"));
    }
    Path last = lastSegment(crashed);
    damage.apply(last, Files.size(last));
    return crashed;
  }

  private static Path lastSegment(Path directory) {
    List<Path> segments = segmentFiles(directory);
    return segments.get(segments.size() - 1);
  }

  /** Where the last segment ends when it holds the last of {@code records} records (9 fit in a segment). */
  private static long lastSegmentEnd(int records) {
    int inLast = records % 9 == 0 ? 9 : records % 9;
    return 8 + (long) inLast * FRAME_BYTES;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
