package io.edgeai4j.benchmarks.edgehub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadTallyTest {
  @Test
  void countsEachIdOnceAndTheRestAsDuplicates() {
    LoadTally tally = new LoadTally(2);
    byte[] a = LoadTally.body(0, 7, 64);
    byte[] b = LoadTally.body(1, 7, 64);

    tally.record(a);
    tally.record(b);
    tally.record(a);

    assertThat(a).hasSize(64);
    assertThat(tally.unique()).isEqualTo(2);
    assertThat(tally.duplicates()).isEqualTo(1);
    assertThat(tally.malformed()).isZero();
    assertThat(tally.lastReceivedNanos()).isPositive();
  }

  @Test
  void bodiesThatAreNotLoadMessagesAreCountedApart() {
    LoadTally tally = new LoadTally(1);

    tally.record("hello".getBytes(StandardCharsets.US_ASCII));
    tally.record(LoadTally.body(3, 0, 64));

    assertThat(tally.malformed()).isEqualTo(2);
    assertThat(tally.unique()).isZero();
  }

  @Test
  void aBodyLongerThanAskedKeepsItsWholeHeader() {
    byte[] body = LoadTally.body(12, 123456, 32);
    assertThat(new String(body, StandardCharsets.US_ASCII)).startsWith("12,123456,");
    LoadTally tally = new LoadTally(13);
    tally.record(body);
    assertThat(tally.unique()).isEqualTo(1);
  }
}
