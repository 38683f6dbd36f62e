package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe on this machine, which has no TensorRT, no CUDA runtime and no driver. */
class TensorRtProbeTest {
  private final TensorRtVersion preset = TensorRt.presetVersion();
  private final int trt = preset.major();
  private final int cuda = PresetVersions.cudaMajor(PresetVersions.cuda());

  @Test
  void thePresetVersionIsTheOneThisProfileCompiledAgainst() {
    assertThat(preset.major()).isEqualTo(PrecisionFlags.TENSORRT_MAJOR);
    assertThat(preset).isIn(TensorRtVersion.parse("10.6"), TensorRtVersion.parse("11.2"));
    assertThat(cuda).isEqualTo(preset.major() == 10 ? 12 : 13);
  }

  @Test
  void withoutTensorRtTheProbeSaysWhatIsMissingAndWhereItLooked(@TempDir Path empty) {
    TensorRtLibraries libs = TensorRtLibraries.of(Optional.of(empty.toString()), Optional.empty(), "linux-x86_64");
    assumeThat(libs.find("libnvinfer.so." + trt)).as("TensorRT is installed here: hardware-tests cover it").isEmpty();

    TensorRtAvailability a = TensorRt.probe(libs);

    String where = " (looked in: " + empty + ", /usr/lib/x86_64-linux-gnu, /usr/local/tensorrt/lib,"
        + " /usr/local/cuda/lib64, /usr/local/cuda/compat)";
    String set = " or set -Dedgeai4j.tensorrt.libraryPath=DIR";
    String install = trt == 10 ? "install TensorRT 10 (JetPack 6: apt install nvidia-tensorrt)"
        : "install TensorRT 11 (JetPack 7.2.2+: the TensorRT 11.4 SBSA build)";
    assertThat(a.available()).isFalse();
    assertThat(a.reasons()).contains(
        "no CUDA driver (libcuda.so.1 not found" + where + "); install the NVIDIA driver (JetPack: nvidia-l4t-cuda)"
            + set,
        "libnvinfer.so." + trt + " not found" + where + "; " + install + set,
        "libnvonnxparser.so." + trt + " not found" + where + "; " + install + set);
    // This machine has the CUDA 13 runtime (/usr/local/cuda/lib64/libcudart.so.13) but no CUDA 12 one.
    if (libs.find("libcudart.so." + cuda).isEmpty()) {
      assertThat(a.reasons()).anySatisfy(r -> assertThat(r).startsWith("libcudart.so." + cuda + " not found" + where));
    } else {
      assertThat(a.reasons()).noneSatisfy(r -> assertThat(r).startsWith("libcudart"));
    }
    assertThat(a.loaded()).isEmpty();
    assertThat(a.library()).isEmpty();
    assertThat(a.gpus()).isEmpty();
    assertThat(a.preset()).isEqualTo(preset);
    assertThat(a.summary()).isEqualTo(String.join("; ", a.reasons()));
  }

  @Test
  void theOverrideIsSearchedFirstThenLdLibraryPathThenThePresetsPaths(@TempDir Path dir) throws IOException {
    Path other = Files.createDirectories(dir.resolve("ld"));
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(other.resolve("libnvinfer.so.10"), "not a library");
    Files.writeString(mine.resolve("libnvinfer.so.10"), "not a library");

    TensorRtLibraries libs = TensorRtLibraries.of(Optional.of(mine + ":" + dir.resolve("missing")),
        Optional.of(other + "::" + mine), "linux-arm64");

    assertThat(libs.searchPath()).extracting(TensorRtLibraries.SearchDir::toString).containsExactly(
        mine + " (-Dedgeai4j.tensorrt.libraryPath)",
        dir.resolve("missing") + " (-Dedgeai4j.tensorrt.libraryPath)",
        other + " (LD_LIBRARY_PATH)",
        "/usr/lib/aarch64-linux-gnu (presets' platform.linkpath)",
        "/usr/local/tensorrt/lib (presets' platform.linkpath)",
        "/usr/local/cuda/lib64 (presets' platform.linkpath)",
        "/usr/lib/aarch64-linux-gnu/nvidia (CUDA driver directory)",
        "/usr/lib/aarch64-linux-gnu/tegra (CUDA driver directory)",
        "/usr/local/cuda/compat (CUDA driver directory)");
    assertThat(libs.find("libnvinfer.so.10")).contains(mine.resolve("libnvinfer.so.10"));
    assertThat(TensorRtLibraries.of(Optional.empty(), Optional.of(other.toString()), "linux-arm64")
        .find("libnvinfer.so.10")).contains(other.resolve("libnvinfer.so.10"));
  }

  @Test
  void aFoundLibraryThatDoesNotLoadIsAReasonNotACrash(@TempDir Path dir) throws Exception {
    // Files with the right names but no ELF inside: the probe gets as far as loading, which fails. Loading leaves
    // state in a JVM (a library cannot be unloaded), so this runs in a child JVM.
    for (String lib : List.of("libcuda.so.1", "libcudart.so." + cuda, "libnvinfer.so." + trt,
        "libnvonnxparser.so." + trt)) {
      Files.writeString(dir.resolve(lib), "not a library");
    }
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dedgeai4j.tensorrt.libraryPath=" + dir,
        ProbeChild.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("available=false")
        .contains("loaded=libcuda.so.1: " + dir.resolve("libcuda.so.1"))
        .contains("reason=load libnvinfer: TensorRT could not be loaded: ")
        .contains("java.lang.UnsatisfiedLinkError")
        .contains("-Dorg.bytedeco.javacpp.logger.debug=true")
        .doesNotContain("not found (looked in");
  }

  /** Runs the probe of this process and prints it, one fact a line. */
  public static final class ProbeChild {
    public static void main(String[] args) {
      TensorRtAvailability a = TensorRt.probe();
      System.out.println("available=" + a.available());
      a.loaded().forEach(l -> System.out.println("loaded=" + l));
      a.reasons().forEach(r -> System.out.println("reason=" + r));
    }
  }
}
