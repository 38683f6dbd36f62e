package io.edgeai4j.hardwaretests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JetsonProbeTest {

  @TempDir
  Path dir;

  @Test
  void namesEveryMissingPieceAndWhereItLooked() {
    Path lib = dir.resolve("lib");
    JetsonProbe probe = new JetsonProbe("amd64", dir.resolve("nv_tegra_release"), List.of(lib), 10, 12);

    assertThat(probe.problems()).containsExactly(
        "os.arch is amd64: expected aarch64 (a Jetson)",
        "no " + dir.resolve("nv_tegra_release") + ": not a Jetson Linux (L4T) system; JetPack 6 writes it",
        "libnvinfer.so.10 not found in [" + lib + "] (the JetPack 6 package that provides it is not installed, or"
            + " add its directory to LD_LIBRARY_PATH)",
        "libnvonnxparser.so.10 not found in [" + lib + "] (the JetPack 6 package that provides it is not installed,"
            + " or add its directory to LD_LIBRARY_PATH)",
        "libcudart.so.12 not found in [" + lib + "] (the JetPack 6 package that provides it is not installed, or"
            + " add its directory to LD_LIBRARY_PATH)");
  }

  @Test
  void aJetPack6LayoutHasNoProblemAndItsFactsGoToTheReport() throws Exception {
    Path cuda = Files.createDirectories(dir.resolve("cuda/lib64"));
    Path gnu = Files.createDirectories(dir.resolve("aarch64-linux-gnu"));
    Files.writeString(dir.resolve("nv_tegra_release"), "# R36 (release), REVISION: 4.0, GCID: 37537400\n");
    for (String soname : List.of("libnvinfer.so.10", "libnvonnxparser.so.10")) {
      Files.writeString(gnu.resolve(soname), "");
    }
    Files.writeString(cuda.resolve("libcudart.so.12"), "");
    JetsonProbe probe = new JetsonProbe("aarch64", dir.resolve("nv_tegra_release"), List.of(gnu, cuda), 10, 12);

    assertThat(probe.problems()).isEmpty();
    assertThat(probe.facts()).containsEntry("l4t", "# R36 (release), REVISION: 4.0, GCID: 37537400")
        .containsEntry("libnvinfer.so.10", gnu.resolve("libnvinfer.so.10").toString())
        .containsEntry("libcudart.so.12", cuda.resolve("libcudart.so.12").toString());
  }

  @Test
  void jetPack7LooksForTheTensorRt11AndCuda13Sonames() {
    JetsonProbe probe = new JetsonProbe("aarch64", dir.resolve("nv_tegra_release"), List.of(dir), 11, 13);

    assertThat(probe.sonames()).containsExactly("libnvinfer.so.11", "libnvonnxparser.so.11", "libcudart.so.13");
    assertThat(probe.problems()).anyMatch(p -> p.contains("the JetPack 7 package"));
  }

  @Test
  void thisMachineLooksForTheSonamesOfThePresetsOnTheClassPath() {
    String tensorrt = JetsonProbe.presetVersion("tensorrt");
    String cuda = JetsonProbe.presetVersion("cuda");

    // The default build (JetPack 6) and -Pjetpack7.
    assertThat(tensorrt).isIn("10.6-1.5.11", "11.2-1.5.14");
    assertThat(JetsonProbe.ofThisMachine().sonames()).containsExactly(
        "libnvinfer.so." + JetsonProbe.major(tensorrt), "libnvonnxparser.so." + JetsonProbe.major(tensorrt),
        "libcudart.so." + JetsonProbe.major(cuda));
  }
}
