package io.edgeai4j.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The accounting of a force that runs outside the buffer's lock while writes go on. */
class UnforcedWritesTest {
  private final UnforcedWrites writes = new UnforcedWrites();

  @Test
  void aWriteDuringAForceStaysUnforcedUntilTheNextOne() {
    writes.note(UnforcedWrites.Target.DATA, 100);
    writes.note(UnforcedWrites.Target.POSITION, 0);
    UnforcedWrites.Snapshot first = writes.begin();
    assertThat(first).isEqualTo(new UnforcedWrites.Snapshot(true, true, false, 100));

    writes.note(UnforcedWrites.Target.DATA, 40);  // while the first force runs
    writes.succeeded(first);

    assertThat(writes.bytes()).isEqualTo(40);
    assertThat(writes.any()).isTrue();
    assertThat(writes.forcedBytes()).isEqualTo(100);
    UnforcedWrites.Snapshot second = writes.begin();
    assertThat(second.bytes()).isEqualTo(40);
    writes.succeeded(second);
    assertThat(writes.any()).isFalse();
    assertThat(writes.bytes()).isZero();
    assertThat(writes.age()).isZero();
    assertThat(writes.forcedBytes()).isEqualTo(140);
    assertThat(writes.forces()).isEqualTo(2);
    assertThat(writes.begin()).as("nothing left to force").isNull();
  }

  @Test
  void aFailedForceLeavesEverythingUnforcedAndItsAgeRunning() {
    writes.note(UnforcedWrites.Target.DIRECTORY, 0);
    writes.note(UnforcedWrites.Target.DATA, 100);
    UnforcedWrites.Snapshot snapshot = writes.begin();

    writes.failed();

    assertThat(writes.bytes()).isEqualTo(100);
    assertThat(writes.forcedBytes()).isZero();
    assertThat(writes.begin()).isEqualTo(snapshot);
    assertThat(writes.age()).isPositive();
  }

  @Test
  void theAgeCountsFromTheFirstWriteAfterTheLastForce() throws Exception {
    writes.note(UnforcedWrites.Target.DATA, 10);
    UnforcedWrites.Snapshot snapshot = writes.begin();
    long beforeSecondWrite = System.nanoTime();
    writes.note(UnforcedWrites.Target.DATA, 10);
    writes.succeeded(snapshot);

    assertThat(writes.age()).isLessThanOrEqualTo(Duration.ofNanos(System.nanoTime() - beforeSecondWrite));
    writes.forcedAll();
    assertThat(writes.age()).isZero();
    assertThat(writes.forcedBytes()).isEqualTo(20);
  }
}
