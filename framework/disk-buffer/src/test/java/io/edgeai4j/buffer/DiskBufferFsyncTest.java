package io.edgeai4j.buffer;

import static io.edgeai4j.buffer.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each fsync policy leaves unforced, as the buffer counts it, and that the fsync thread ends with the buffer. */
class DiskBufferFsyncTest {
  private static final int RECORDS = 20;
  private static final int RECORD_BYTES = 100;
  private static final long FRAMED = RECORDS * (RECORD_BYTES + 8L);

  @TempDir Path temp;

  private DiskBuffer open(FsyncPolicy policy) throws Exception {
    return DiskBuffer.open(DiskBufferOptions.builder(temp.resolve("buffer")).segmentBytes(1 << 20)
        .fsyncPolicy(policy).build());
  }

  private static void appendAndRemoveSome(DiskBuffer buffer) throws Exception {
    for (int i = 0; i < RECORDS; i++) {
      buffer.append(record(i, RECORD_BYTES));
    }
    for (int i = 0; i < 5; i++) {
      buffer.peek();
      buffer.remove();
    }
  }

  @Test
  void alwaysForcesEveryAppendAndRemoveBeforeItReturns() throws Exception {
    try (DiskBuffer buffer = open(FsyncPolicy.always())) {
      appendAndRemoveSome(buffer);

      assertThat(buffer.unforcedBytes()).isZero();
      assertThat(buffer.unforcedAge()).isZero();
      assertThat(buffer.forcedBytes()).isEqualTo(FRAMED);
      assertThat(buffer.forces()).isEqualTo(RECORDS + 5);
    }
  }

  @Test
  void intervalForcesInTheBackgroundOnceWritesStop() throws Exception {
    try (DiskBuffer buffer = open(FsyncPolicy.interval(Duration.ofMillis(50)))) {
      appendAndRemoveSome(buffer);

      await().atMost(Duration.ofSeconds(5)).until(() -> buffer.forcedBytes() == FRAMED);
      assertThat(buffer.unforcedBytes()).isZero();
      assertThat(buffer.unforcedAge()).isZero();
      assertThat(buffer.forces()).isPositive();

      buffer.append(record(99, RECORD_BYTES));  // a later write is forced too: the thread keeps running
      await().atMost(Duration.ofSeconds(5)).until(() -> buffer.forcedBytes() == FRAMED + RECORD_BYTES + 8);
      assertThat(buffer.unforcedAge()).isZero();
    }
  }

  @Test
  void neverLeavesWritesUnforcedUntilClose() throws Exception {
    DiskBuffer buffer = open(FsyncPolicy.never());
    appendAndRemoveSome(buffer);

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> buffer.unforcedBytes() == FRAMED && buffer.forcedBytes() == 0);
    assertThat(buffer.unforcedAge()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    buffer.close();
    assertThat(buffer.unforcedBytes()).isZero();
    assertThat(buffer.unforcedAge()).isZero();
    assertThat(buffer.forcedBytes()).isEqualTo(FRAMED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ALWAYS", "INTERVAL", "NEVER"})
  void closeForcesEverythingAndLeavesNoFsyncThread(FsyncPolicy.Mode mode) throws Exception {
    DiskBuffer buffer = open(new FsyncPolicy(mode, Duration.ofMillis(20)));
    appendAndRemoveSome(buffer);
    String threadName = "disk-buffer-fsync " + temp.resolve("buffer");
    assertThat(fsyncThreadRunning(threadName)).isEqualTo(mode == FsyncPolicy.Mode.INTERVAL);

    buffer.close();

    assertThat(buffer.unforcedBytes()).isZero();
    assertThat(buffer.forcedBytes()).isEqualTo(FRAMED);
    assertThat(fsyncThreadRunning(threadName)).isFalse();
  }

  private static boolean fsyncThreadRunning(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
