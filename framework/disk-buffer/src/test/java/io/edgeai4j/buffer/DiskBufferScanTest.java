package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.record;
import static io.edgeai4j.buffer.TestRecords.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DiskBuffer#forEachRecord}: a read-only scan from the read position, for replay at open. */
class DiskBufferScanTest {
  @TempDir
  Path directory;

  private DiskBufferOptions smallSegments() {
    return DiskBufferOptions.builder(directory).segmentBytes(256).maxBytes(1024 * 1024).build();
  }

  @Test
  void visitsTheHeldRecordsInOrderAcrossSegmentsWithoutRemovingAny() throws Exception {
    List<byte[]> appended = new ArrayList<>();
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      for (int i = 0; i < 30; i++) {
        byte[] r = record(i, 40);
        buffer.append(r);
        appended.add(r);
      }
      for (int i = 0; i < 7; i++) {
        buffer.peek();
        buffer.remove();
      }
      assertThat(segmentFiles(directory)).hasSizeGreaterThan(3);

      List<byte[]> seen = new ArrayList<>();
      assertThat(buffer.forEachRecord(seen::add)).isEqualTo(23);

      assertThat(seen).containsExactlyElementsOf(appended.subList(7, 30));
      assertThat(buffer.size()).isEqualTo(23);
      assertThat(buffer.peek()).isEqualTo(appended.get(7));
    }
    try (DiskBuffer reopened = DiskBuffer.open(smallSegments())) {
      List<byte[]> seen = new ArrayList<>();
      reopened.forEachRecord(seen::add);
      assertThat(seen).containsExactlyElementsOf(appended.subList(7, 30));
      assertThat(reopened.peek()).isEqualTo(appended.get(7));
    }
  }

  @Test
  void anEmptyBufferVisitsNothing() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      assertThat(buffer.forEachRecord(r -> {
        throw new AssertionError("visited " + r.length + " bytes");
      })).isZero();
    }
  }

  @Test
  void aRecordDamagedOnDiskFailsTheScanNamingTheFileAndOffset() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      buffer.append(record(1, 40));
      buffer.append(record(2, 40));
      Path segment = segmentFiles(directory).get(0);
      try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
        long second = Segment.HEADER_BYTES + Segment.FRAME_BYTES + 40 + Segment.FRAME_BYTES + 10;
        file.seek(second);
        file.write(0x5A);
      }
      List<byte[]> seen = new ArrayList<>();
      assertThatThrownBy(() -> buffer.forEachRecord(seen::add)).isInstanceOf(IOException.class)
          .hasMessageContaining(segment.toString())
          .hasMessageContaining("at offset " + (Segment.HEADER_BYTES + Segment.FRAME_BYTES + 40))
          .hasMessageContaining("CRC-32");
      assertThat(seen).hasSize(1);
    }
  }

  @Test
  void anExceptionOfTheVisitorStopsTheScan() throws Exception {
    try (DiskBuffer buffer = DiskBuffer.open(smallSegments())) {
      buffer.append(record(1, 40));
      buffer.append(record(2, 40));
      int[] visits = {0};
      assertThatThrownBy(() -> buffer.forEachRecord(r -> {
        visits[0]++;
        throw new IOException("cannot decode");
      })).hasMessage("cannot decode");
      assertThat(visits[0]).isEqualTo(1);
      assertThat(buffer.size()).isEqualTo(2);
    }
  }
}
