package io.edgeai4j.hardwaretests.tegrastats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TegrastatsParserTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // line                  | RAM used | total | GR3D % | cpu@   | gpu@   | tj@    | temps | VDD_IN | avg  | CPU_GPU_CV | avg | SOC  | avg
      "ORIN_NANO_JP6           | 2461     | 7620  | 0      | 46.531 | 48.218 | 48.843 | 6     | 5704   | 5704 | 831        | 831 | 1624 | 1624",
      "ORIN_NANO_README        | 3162     | 7620  | 1      | 62.843 | 61.687 | 62.843 | 6     | 3913   | 3922 | 598        | 598 | 1238 | 1237",
  })
  void parsesOrinJetPack6Lines(String line, long ramUsed, long ramTotal, int gr3d, double cpu, double gpu, double tj,
      int temperatures, long in, long inAvg, long cpuGpuCv, long cpuGpuCvAvg, long soc, long socAvg) throws Exception {
    TegrastatsSample s = TegrastatsParser.parse((String) OrinLines.class.getDeclaredField(line).get(null));

    assertThat(s.ramUsedMb()).isEqualTo(ramUsed);
    assertThat(s.ramTotalMb()).isEqualTo(ramTotal);
    assertThat(s.gpuLoadPercent()).isEqualTo(OptionalInt.of(gr3d));
    assertThat(s.temperaturesC()).hasSize(temperatures).containsEntry("cpu", cpu).containsEntry("gpu", gpu)
        .containsEntry("tj", tj);
    assertThat(s.rails()).hasSize(3)
        .containsEntry("VDD_IN", new TegrastatsSample.Rail(in, inAvg))
        .containsEntry("VDD_CPU_GPU_CV", new TegrastatsSample.Rail(cpuGpuCv, cpuGpuCvAvg))
        .containsEntry("VDD_SOC", new TegrastatsSample.Rail(soc, socAvg));
  }

  @Test
  void sensorsThatAreOffAndCpuFrequenciesAreNotTemperatures() {
    TegrastatsSample s = TegrastatsParser.parse(OrinLines.AGX_ORIN_SENSORS_OFF);

    assertThat(s.temperaturesC()).containsOnlyKeys("CPU", "Tboard", "SOC2", "Tdiode", "SOC0", "tj", "SOC1");
    assertThat(s.temperaturesC()).containsEntry("tj", 41.468);
    assertThat(s.gpuLoadPercent()).isEqualTo(OptionalInt.of(75));
    assertThat(s.ramTotalMb()).isEqualTo(30536);
    assertThat(s.rails()).isEmpty();
  }

  @Test
  void aLineWithoutRamIsRefusedNamingWhatWasExpected() {
    assertThatThrownBy(() -> TegrastatsParser.parse("Error: Couldn't open /sys/kernel/debug/bpmp/debug"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a tegrastats line: expected 'RAM <used>/<total>MB' in"
            + " \"Error: Couldn't open /sys/kernel/debug/bpmp/debug\"");
  }
}
