package io.edgeai4j.hardwaretests.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class MemoryUseTest {

  @TempDir
  Path dir;

  @Test
  void residentSetIsVmRssInBytes() throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  204800 kB\nThreads:\t42\n");

    assertThat(MemoryUse.residentBytes(status)).isEqualTo(204800L * 1024);
  }

  @Test
  void noStatusFileIsUnknown() {
    assertThat(MemoryUse.now("start", dir.resolve("missing")).residentBytes()).isEqualTo(-1);
  }

  @Test
  void anUnexpectedVmRssLineIsAnErrorThatQuotesIt() throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "VmRSS:\t200 MB\n");

    assertThatThrownBy(() -> MemoryUse.residentBytes(status))
        .hasMessage(status + ": unexpected VmRSS line 'VmRSS:\t200 MB', expected 'VmRSS: <n> kB'");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void thisProcessHasAResidentSetAndAHeap() {
    MemoryUse m = MemoryUse.now("now", Path.of("/proc/self/status"));

    assertThat(m.phase()).isEqualTo("now");
    assertThat(m.residentBytes()).isGreaterThan(m.heapUsedBytes() / 4).isGreaterThan(1 << 20);
    assertThat(m.heapUsedBytes()).isPositive();
  }
}
