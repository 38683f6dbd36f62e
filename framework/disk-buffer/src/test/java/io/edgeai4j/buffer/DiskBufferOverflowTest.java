package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.drain;
import static io.edgeai4j.buffer.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiskBufferOverflowTest {
  private static final int MAX_BYTES = 4096;

  @TempDir
  Path directory;

  private DiskBuffer open(OverflowPolicy policy) throws Exception {
    return DiskBuffer.open(DiskBufferOptions.builder(directory).segmentBytes(1024).maxBytes(MAX_BYTES)
        .overflowPolicy(policy).build());
  }

  private static List<byte[]> records(int from, int to, int size) {
    return IntStream.range(from, to).mapToObj(i -> record(i, size)).toList();
  }

  /**
   * 100-byte records take 108 bytes with their frame; 9 fill a 1024-byte segment (8 + 9 * 108 = 980). Four
   * full segments (3920 bytes) and one record in a fifth (116) make 4036 bytes: 37 records fit in 4096.
   */
  @Test
  void dropOldestKeepsTheNewestRecordsAndCountsWhatItDroppedExactly() throws Exception {
    try (DiskBuffer buffer = open(OverflowPolicy.DROP_OLDEST)) {
      long droppedInResults = 0;
      long droppedBytesInResults = 0;
      for (int i = 0; i < 37; i++) {
        assertThat(buffer.append(record(i, 100))).isEqualTo(new AppendResult(true, 0, 0));
      }
      assertThat(buffer.sizeBytes()).isEqualTo(4036);
      for (int i = 37; i < 500; i++) {
        AppendResult result = buffer.append(record(i, 100));
        assertThat(result.stored()).isTrue();
        assertThat(result.droppedBytes()).isEqualTo(100 * result.droppedRecords());
        droppedInResults += result.droppedRecords();
        droppedBytesInResults += result.droppedBytes();
        assertThat(buffer.sizeBytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(buffer.sizeBytes() + 108).as("dropped no more than needed").isGreaterThan(MAX_BYTES);
      }
      long held = buffer.size();
      assertThat(held).isBetween(36L, 37L);
      assertThat(buffer.droppedRecords()).isEqualTo(500 - held).isEqualTo(droppedInResults);
      assertThat(buffer.droppedBytes()).isEqualTo(100 * (500 - held)).isEqualTo(droppedBytesInResults);
      assertThat(buffer.rejectedRecords()).isZero();
      assertThat(drain(buffer)).containsExactlyElementsOf(records((int) (500 - held), 500, 100));
    }
  }

  @Test
  void dropOldestDropsAsManySmallRecordsAsALargeOneNeeds() throws Exception {
    try (DiskBuffer buffer = open(OverflowPolicy.DROP_OLDEST)) {
      for (int i = 0; i < 30; i++) {
        buffer.append(record(i, 100));
      }
      byte[] large = record(99, 1500);

      AppendResult result = buffer.append(large);

      long kept = buffer.size() - 1;
      assertThat(result).isEqualTo(new AppendResult(true, 30 - kept, 100 * (30 - kept)));
      assertThat(buffer.sizeBytes()).isLessThanOrEqualTo(MAX_BYTES);
      assertThat(buffer.sizeBytes() + 108).as("dropped no more than needed").isGreaterThan(MAX_BYTES);
      List<byte[]> expected = new java.util.ArrayList<>(records((int) (30 - kept), 30, 100));
      expected.add(large);
      assertThat(drain(buffer)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void dropOldestEmptiesTheBufferForTheLargestRecordItAccepts() throws Exception {
    try (DiskBuffer buffer = open(OverflowPolicy.DROP_OLDEST)) {
      for (int i = 0; i < 10; i++) {
        buffer.append(record(i, 100));
      }
      byte[] largest = record(99, MAX_BYTES - 16);

      assertThat(buffer.append(largest)).isEqualTo(new AppendResult(true, 10, 1000));
      assertThat(buffer.sizeBytes()).isEqualTo(MAX_BYTES);
      assertThat(drain(buffer)).containsExactly(largest);
    }
  }

  @Test
  void rejectNewestStoresNothingWhenFullAndCountsTheRejection() throws Exception {
    try (DiskBuffer buffer = open(OverflowPolicy.REJECT_NEWEST)) {
      for (int i = 0; i < 37; i++) {
        assertThat(buffer.append(record(i, 100)).stored()).isTrue();
      }
      long sizeBytes = buffer.sizeBytes();

      assertThat(buffer.append(record(37, 100))).isEqualTo(new AppendResult(false, 0, 0));
      assertThat(buffer.append(record(38, 60))).isEqualTo(new AppendResult(false, 0, 0)); // 4036 + 68 > 4096

      assertThat(buffer.size()).isEqualTo(37);
      assertThat(buffer.sizeBytes()).isEqualTo(sizeBytes);
      assertThat(buffer.rejectedRecords()).isEqualTo(2);
      assertThat(buffer.rejectedBytes()).isEqualTo(160);
      assertThat(buffer.droppedRecords()).isZero();

      buffer.remove();
      assertThat(buffer.append(record(39, 100))).isEqualTo(new AppendResult(true, 0, 0));
      List<byte[]> expected = new java.util.ArrayList<>(records(1, 37, 100));
      expected.add(record(39, 100));
      assertThat(drain(buffer)).containsExactlyElementsOf(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(OverflowPolicy.class)
  void aRecordLargerThanTheBufferCanHoldIsAnErrorNamingBothSizes(OverflowPolicy policy) throws Exception {
    try (DiskBuffer buffer = open(policy)) {
      buffer.append(record(0, 100));

      assertThatThrownBy(() -> buffer.append(new byte[MAX_BYTES - 15]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("record of 4081 bytes")
          .hasMessageContaining("maxBytes 4096")
          .hasMessageContaining("at most 4080 bytes");

      assertThat(buffer.size()).isEqualTo(1);
      assertThat(buffer.droppedRecords()).isZero();
      assertThat(buffer.rejectedRecords()).isZero();
    }
  }

  @Test
  void removeAfterThePeekedRecordWasDroppedRemovesNothingElse() throws Exception {
    try (DiskBuffer buffer = open(OverflowPolicy.DROP_OLDEST)) {
      for (int i = 0; i < 37; i++) {
        buffer.append(record(i, 100));
      }
      assertThat(buffer.peek()).isEqualTo(record(0, 100));
      assertThat(buffer.append(record(37, 100)).droppedRecords()).isEqualTo(1); // drops record 0

      assertThat(buffer.remove()).isTrue();

      assertThat(buffer.size()).isEqualTo(37);
      assertThat(buffer.peek()).isEqualTo(record(1, 100));
      assertThat(buffer.remove()).isTrue();
      assertThat(buffer.peek()).isEqualTo(record(2, 100));
    }
  }

  @Test
  void dropsRecoveredOverflowWhenReopenedWithASmallerLimit() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(DiskBufferOptions.builder(directory).segmentBytes(1024).build())) {
      for (int i = 0; i < 100; i++) {
        buffer.append(record(i, 100));
      }
    }
    try (DiskBuffer smaller = open(OverflowPolicy.DROP_OLDEST)) {
      assertThat(smaller.size()).isEqualTo(100);

      AppendResult result = smaller.append(record(100, 100));

      assertThat(result.droppedRecords()).isEqualTo(101 - smaller.size());
      assertThat(smaller.sizeBytes()).isLessThanOrEqualTo(MAX_BYTES);
      assertThat(drain(smaller)).containsExactlyElementsOf(records((int) result.droppedRecords(), 101, 100));
    }
  }
}
