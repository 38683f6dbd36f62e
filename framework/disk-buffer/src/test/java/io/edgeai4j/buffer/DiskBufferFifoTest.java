package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.drain;
import static io.edgeai4j.buffer.TestRecords.record;
import static io.edgeai4j.buffer.TestRecords.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class DiskBufferFifoTest {
  private static final Logger log = LoggerFactory.getLogger(DiskBufferFifoTest.class);

  @TempDir
  Path directory;

  private DiskBufferOptions smallSegments() {
    return DiskBufferOptions.builder(directory).segmentBytes(1024).maxBytes(1024 * 1024).build();
  }

  @Test
  void keepsOrderAcrossManySegmentRollsWhileAppendsAndRemovesInterleave() throws Exception {
    Random random = new Random(42);
    ArrayDeque<byte[]> expected = new ArrayDeque<>();
    long largestSegmentId = 0;
    int next = 0;
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      for (int round = 0; round < 150; round++) {
        int appends = random.nextInt(20);
        for (int i = 0; i < appends; i++) {
          byte[] record = record(next++, 8 + random.nextInt(400));
          assertThat(buffer.append(record)).isEqualTo(new AppendResult(true, 0, 0));
          expected.addLast(record);
        }
        int removes = random.nextInt(20);
        for (int i = 0; i < removes && !expected.isEmpty(); i++) {
          assertThat(buffer.peek()).isEqualTo(expected.peekFirst());
          assertThat(buffer.remove()).isTrue();
          expected.removeFirst();
        }
        assertThat(buffer.size()).isEqualTo(expected.size());
        assertThat(buffer.sizeBytes()).isEqualTo(expectedSizeBytes(expected));
        for (Path segment : segmentFiles(directory)) {
          largestSegmentId = Math.max(largestSegmentId, Segment.idOf(segment).getAsLong());
        }
      }
      assertThat(drain(buffer)).containsExactlyElementsOf(expected);
    }
    assertThat(largestSegmentId).as("segments rolled").isGreaterThan(50);
  }

  /**
   * Each held record with its 8-byte frame, plus the 8-byte header of each segment file on disk (when the
   * buffer is empty, the one file left is the drained newest segment, which holds nothing).
   */
  private long expectedSizeBytes(ArrayDeque<byte[]> held) {
    long bytes = held.isEmpty() ? 0 : 8L * segmentFiles(directory).size();
    for (byte[] record : held) {
      bytes += 8 + record.length;
    }
    return bytes;
  }

  @Test
  void deletesTheSegmentFilesOnceEverythingIsRemovedKeepingTheNewestUntilClose() throws Exception {
    Path last;
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      for (int i = 0; i < 200; i++) {
        buffer.append(record(i, 100));
      }
      assertThat(segmentFiles(directory)).hasSizeGreaterThan(20);
      long diskBytes = 0;
      for (Path segment : segmentFiles(directory)) {
        diskBytes += Files.size(segment);
      }
      assertThat(diskBytes).isEqualTo(buffer.sizeBytes());
      last = segmentFiles(directory).get(segmentFiles(directory).size() - 1);

      assertThat(drain(buffer)).hasSize(200);

      assertThat(segmentFiles(directory)).as("only the newest, which takes the next appends").containsExactly(last);
      assertThat(Files.size(last)).isLessThanOrEqualTo(1024);
      assertThat(buffer.sizeBytes()).isZero();
      assertThat(buffer.isEmpty()).isTrue();
      assertThat(buffer.peek()).isNull();
      assertThat(buffer.remove()).isFalse();

      buffer.append(record(200, 100));
      assertThat(segmentFiles(directory)).containsExactly(last);
      assertThat(buffer.sizeBytes()).isEqualTo(8 + 108);
      assertThat(drain(buffer)).containsExactly(record(200, 100));
    }
    assertThat(segmentFiles(directory)).isEmpty();
  }

  @Test
  void aConsumerThatKeepsUpCreatesNoFilePerRecord() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      for (int i = 0; i < 100; i++) {
        buffer.append(record(i, 100));
        assertThat(buffer.peek()).isEqualTo(record(i, 100));
        buffer.remove();
      }
      // 9 frames of 108 bytes fill a 1024-byte segment: 100 records took 12 segments, the drained ones deleted
      assertThat(segmentFiles(directory)).hasSize(1);
      assertThat(Segment.idOf(segmentFiles(directory).get(0)).getAsLong()).isEqualTo(11);
    }
  }

  @Test
  void deletesEachSegmentAsSoonAsItsLastRecordIsRemoved() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      for (int i = 0; i < 18; i++) {
        buffer.append(record(i, 100)); // 9 frames of 108 bytes fill a 1024-byte segment
      }
      assertThat(segmentFiles(directory)).hasSize(2);
      for (int i = 0; i < 8; i++) {
        buffer.remove();
      }
      assertThat(segmentFiles(directory)).hasSize(2);
      buffer.remove();
      assertThat(segmentFiles(directory)).hasSize(1);
      assertThat(TestRecords.sequenceOf(buffer.peek())).isEqualTo(9);
    }
  }

  @Test
  void storesEmptyRecordsAndRecordsLargerThanASegment() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      byte[] large = record(1, 5000);
      buffer.append(new byte[0]);
      buffer.append(large);
      buffer.append(new byte[0]);
      assertThat(buffer.size()).isEqualTo(3);
      assertThat(drain(buffer)).containsExactly(new byte[0], large, new byte[0]);
    }
  }

  @Test
  void peekDoesNotRemoveAndRemoveWithoutPeekRemovesTheOldest() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      buffer.append(record(0, 10));
      buffer.append(record(1, 10));
      assertThat(buffer.peek()).isEqualTo(record(0, 10));
      assertThat(buffer.peek()).isEqualTo(record(0, 10));
      assertThat(buffer.size()).isEqualTo(2);
      assertThat(buffer.remove()).isTrue();
      assertThat(buffer.remove()).isTrue(); // no peek before it
      assertThat(buffer.remove()).isFalse();
      assertThat(buffer.isEmpty()).isTrue();
    }
  }

  @Test
  void appendCopiesTheRecordSoTheCallerMayReuseTheArray() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      byte[] reused = record(0, 16);
      buffer.append(reused);
      reused[0] = 99;
      assertThat(buffer.peek()).isEqualTo(record(0, 16));
    }
  }

  /** Measures, does not assert: the README quotes the figure. */
  @Test
  void movesOneKilobyteRecordsAtTensOfThousandsPerSecond() throws Exception {
    int count = 20_000;
    byte[][] records = new byte[count][];
    for (int i = 0; i < count; i++) {
      records[i] = record(i, 1024);
    }
    try (DiskBuffer buffer = DiskBuffer.open(DiskBufferOptions.builder(directory).build())) {
      long start = System.nanoTime();
      for (byte[] record : records) {
        buffer.append(record);
      }
      long appended = System.nanoTime();
      int received = 0;
      for (byte[] record = buffer.peek(); record != null; record = buffer.peek()) {
        assertThat(TestRecords.sequenceOf(record)).isEqualTo(received++);
        buffer.remove();
      }
      long removed = System.nanoTime();
      assertThat(received).isEqualTo(count);
      long interleavedStart = System.nanoTime();
      for (byte[] record : records) {
        buffer.append(record);
        buffer.peek();
        buffer.remove();
      }
      long interleaved = System.nanoTime();
      log.info("1 KiB records: {} appends/s, {} peek+removes/s, {} append+peek+remove/s when the buffer drains at once",
          perSecond(count, appended - start), perSecond(count, removed - appended),
          perSecond(count, interleaved - interleavedStart));
    }
  }

  private static long perSecond(int count, long nanos) {
    return Math.round(count / (nanos / 1e9));
  }
}
