package io.edgeai4j.hardwaretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.hardwaretests.report.HardwareReport;
import io.edgeai4j.hardwaretests.report.MemoryUse;
import io.edgeai4j.hardwaretests.report.ReportWriter;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSampler;
import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSummary;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Phase 1 of the Jetson suite: the machine has what the suite needs (checked by {@link JetsonReady} before this runs),
 * tegrastats is sampled for a few intervals, and the report is written under {@code target/hardware-report/} with the
 * versions, memory and power/temperature figures. The GPU tests proper (engine builds, agreement, latency) come in
 * phase 2 and add their runs to the same report.
 */
@JetsonHardware
class JetsonEnvironmentHardwareTest {

  static final Duration TEGRASTATS_INTERVAL = Duration.ofMillis(200);

  @Test
  void samplesTegrastatsAndWritesTheReport() throws Exception {
    List<MemoryUse> memory = List.of(MemoryUse.now("start", Path.of("/proc/self/status")));
    TegrastatsSummary tegrastats;
    try (TegrastatsSampler sampler = TegrastatsSampler.startIfPresent(System.getenv("PATH"), TEGRASTATS_INTERVAL)) {
      if (sampler.sampling()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples() >= 3);
      }
      tegrastats = sampler.stop();
    }
    JetsonProbe probe = JetsonProbe.ofThisMachine();
    Map<String, String> versions = new LinkedHashMap<>(probe.facts());
    versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    versions.put("preset tensorrt", JetsonProbe.presetVersion("tensorrt"));
    versions.put("preset cuda", JetsonProbe.presetVersion("cuda"));
    versions.put("preset javacpp", JetsonProbe.presetVersion("javacpp"));
    HardwareReport report = new HardwareReport(Instant.now().toString(), InetAddress.getLocalHost().getHostName(),
        null, versions, List.of(), memory, tegrastats);

    Path dir = ReportWriter.defaults().write(report, reportDirectory());

    assertThat(dir.resolve(ReportWriter.JSON)).exists();
    assertThat(dir.resolve(ReportWriter.SUMMARY)).content().contains("tegrastats");
    if (tegrastats.unavailable() == null) {
      assertThat(tegrastats.railsMw())
          .as("tegrastats power rails (on some images tegrastats reads the INA3221 rails only as root)")
          .containsKeys("VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC");
      assertThat(tegrastats.ramUsedMb()).isNotNull();
    }
  }

  static Path reportDirectory() {
    return Path.of(System.getProperty("edgeai4j.hardware.report", "target/hardware-report"));
  }
}
