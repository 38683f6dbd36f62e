package io.edgeai4j.benchmarks.edgehub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load benchmark's quick variant, so that CI runs it: 2 senders × 100 messages through the real endpoint for
 * every mode; every message arrives exactly once and every send is acknowledged. No timing is asserted.
 */
class EdgeHubLoadTest {
  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(LoadMode.class)
  void everyMessageArrivesExactlyOnce(LoadMode mode) throws Exception {
    LoadSettings settings = new LoadSettings(mode, 2, 100, 64, 20, 1000, 10, Duration.ofSeconds(20));
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    LoadResult result = EdgeHubLoad.run(settings, directory, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(result.expected()).isEqualTo(200);
    assertThat(result.unique()).as(result.toString()).isEqualTo(200);
    assertThat(result.duplicates()).as(result.toString()).isZero();
    assertThat(result.sendFailures()).as(result.toString()).isZero();
    assertThat(result.exactlyOnce()).isTrue();
    assertThat(result.p50Micros()).isPositive().isLessThanOrEqualTo(result.p99Micros());
    assertThat(result.p99Micros()).isLessThanOrEqualTo(result.maxMicros());
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(mode.label() + ": 2 senders x 100 messages, connected");
  }
}
