package io.edgeai4j.hardwaretests.tegrastats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler against real child processes. There is no tegrastats on a build machine, so the child is a shell script
 * named {@code tegrastats} that records its arguments and prints real Orin lines ({@link OrinLines}) the way
 * tegrastats does (one line per interval, running until stopped); on a Jetson, JetsonEnvironmentHardwareTest runs the
 * real binary.
 */
class TegrastatsSamplerTest {

  @TempDir
  Path dir;

  @Test
  void noBinaryIsRecordedNotFailed() {
    TegrastatsSampler sampler = TegrastatsSampler.startIfPresent(dir + ":" + dir.resolve("missing"),
        Duration.ofMillis(100));

    assertThat(sampler.sampling()).isFalse();
    TegrastatsSummary summary = sampler.stop();
    assertThat(summary.unavailable()).isEqualTo("no tegrastats on this machine (looked for an executable"
        + " 'tegrastats' in [" + dir + ", " + dir.resolve("missing") + "])");
    assertThat(summary.samples()).isZero();
    assertThat(summary.railsMw()).isEmpty();
  }

  @Test
  void summarisesEveryRailTemperatureRamAndGpuLoadOverTheRun() throws Exception {
    script("""
        echo "$@" > "$(dirname "$0")/args"
        cat <<'LINES'
        %s
        %s
        tegrastats: not a sample line
        %s
        LINES
        exec sleep 60
        """.formatted(OrinLines.ORIN_NANO_JP6, OrinLines.ORIN_NANO_README, OrinLines.ORIN_NANO_JP6));

    TegrastatsSummary s;
    try (TegrastatsSampler sampler = TegrastatsSampler.startIfPresent(dir.toString(), Duration.ofMillis(250))) {
      assertThat(sampler.sampling()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples() == 3);
      s = sampler.stop();
    }

    assertThat(Files.readString(dir.resolve("args")).trim()).isEqualTo("--interval 250");
    assertThat(s.unavailable()).isNull();
    assertThat(s.samples()).isEqualTo(3);
    // VDD_IN 5704, 3913, 5704 mW; VDD_CPU_GPU_CV 831, 598, 831; VDD_SOC 1624, 1238, 1624 (instantaneous readings).
    assertThat(s.railsMw().get("VDD_IN")).isEqualTo(new Range(3913, (5704 + 3913 + 5704) / 3.0, 5704, 3));
    assertThat(s.railsMw().get("VDD_CPU_GPU_CV")).isEqualTo(new Range(598, (831 + 598 + 831) / 3.0, 831, 3));
    assertThat(s.railsMw().get("VDD_SOC")).isEqualTo(new Range(1238, (1624 + 1238 + 1624) / 3.0, 1624, 3));
    assertThat(s.temperaturesC().get("tj").min()).isEqualTo(48.843);
    assertThat(s.temperaturesC().get("tj").max()).isEqualTo(62.843);
    assertThat(s.temperaturesC().get("tj").mean()).isCloseTo((48.843 * 2 + 62.843) / 3, within(1e-9));
    assertThat(s.temperaturesC()).containsKeys("cpu", "gpu");
    assertThat(s.ramUsedMb()).isEqualTo(new Range(2461, (2461 * 2 + 3162) / 3.0, 3162, 3));
    assertThat(s.ramTotalMb()).isEqualTo(7620);
    assertThat(s.gpuLoadPercent()).isEqualTo(new Range(0, 1 / 3.0, 1, 3));
    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.rejectedLines()).containsExactly("tegrastats: not a sample line");
  }

  @Test
  void aTegrastatsThatExitsBeforeAnySampleSaysWhy() throws Exception {
    script("""
        echo "Error: run tegrastats as root to read the power rails"
        exit 3
        """);

    try (TegrastatsSampler sampler = TegrastatsSampler.startIfPresent(dir.toString(), Duration.ofMillis(100))) {
      await().atMost(Duration.ofSeconds(10)).until(sampler::exited);
      assertThat(sampler.stop().unavailable()).isEqualTo("tegrastats exited with code 3 before printing a line it"
          + " could parse (1 other lines, first: Error: run tegrastats as root to read the power rails)");
    }
  }

  @Test
  void anIntervalUnderOneMillisecondIsRefused() {
    assertThatThrownBy(() -> TegrastatsSampler.start(dir.resolve("tegrastats"), Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected at least 1 ms");
  }

  private void script(String body) throws IOException {
    Path binary = dir.resolve("tegrastats");
    Files.writeString(binary, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
