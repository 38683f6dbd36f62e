package io.edgeai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtLibraries;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge doctor}'s TensorRT section: this machine's probe verbatim, and what a Jetson's probe would show. */
class DoctorCommandTest {
  @TempDir Path dir;

  @Test
  void explainsWhyTensorRtIsUnavailableHereWithTheProbesReasons() {
    TensorRtAvailability probe = TensorRt.probe();
    assumeFalse(probe.available(), "TensorRT is usable here: this test is about a machine without it");

    CliRun run = CliRun.of("doctor");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .doesNotContain("comes with issue 15")
        // The backend (on the class path through the inference module) reports the same probe in the backend list.
        .containsPattern("(?m)^  tensorrt +unavailable: " + java.util.regex.Pattern.quote(probe.reasons().get(0)))
        .contains("TensorRT (the native backend's library, through the JavaCPP presets):\n")
        .contains("  presets:      TensorRT " + TensorRt.presetVersion() + " ")
        .contains("  searched:     " + TensorRtLibraries.ofThisProcess().describe() + "\n")
        .contains("  library:      not loaded\n")
        .contains("  version rule: not checked: no TensorRT library was loaded\n")
        .contains("  verdict:      unavailable here, because:\n")
        .contains("  override:     -Dedgeai4j.tensorrt.libraryPath=DIR[:DIR] is searched first")
        // Modules and plug-ins still follow.
        .contains("Sensor source plug-ins");
    assertThat(probe.reasons()).isNotEmpty();
    probe.reasons().forEach(reason -> assertThat(run.out()).contains("    - " + reason + "\n"));
    if (!Files.exists(TensorRtSection.L4T_RELEASE)) {
      assertThat(run.out()).contains("  JetPack/L4T:  not a Jetson: /etc/nv_tegra_release absent\n");
    }
  }

  @Test
  void aJetsonsProbeShowsItsLibrariesGpuL4tAndTheVersionRule() throws Exception {
    Path release = Files.writeString(dir.resolve("nv_tegra_release"),
        "# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64\nsecond line\n");
    TensorRtVersion preset = TensorRt.presetVersion();
    TensorRtAvailability jetson = new TensorRtAvailability(true, List.of(),
        List.of("libnvinfer.so." + preset.major() + ": /usr/lib/aarch64-linux-gnu/libnvinfer.so." + preset.major()),
        Optional.of(preset), preset, List.of(new GpuInfo(0, "Orin", 8, 7, true, 7L << 30)));

    List<String> lines = TensorRtSection.lines(jetson, TensorRtLibraries.ofThisProcess(), release);

    assertThat(lines).contains(
        "  loaded:       libnvinfer.so." + preset.major() + ": /usr/lib/aarch64-linux-gnu/libnvinfer.so."
            + preset.major(),
        "  library:      TensorRT " + preset,
        "  version rule: accepted (" + preset + " with presets " + preset + ")",
        "  GPUs:         0: Orin, compute 8.7, integrated (shares host memory), 7168 MiB",
        "  JetPack/L4T:  # R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64 (" + release
            + ")",
        "  verdict:      available: " + jetson.summary());
    assertThat(String.join("\n", lines)).doesNotContain("override");
  }

  @Test
  void aLibraryOfAnotherMajorIsShownRefusedByTheVersionRule() {
    TensorRtVersion preset = TensorRt.presetVersion();
    TensorRtVersion other = new TensorRtVersion(preset.major() == 10 ? 11 : 10, 3, 0, 30);
    String why = TensorRt.versionVerdict(other).orElseThrow();
    TensorRtAvailability refused = new TensorRtAvailability(false, List.of(why), List.of(), Optional.of(other),
        preset, List.of(new GpuInfo(0, "Orin", 8, 7, true, 7L << 30)));

    List<String> lines = TensorRtSection.lines(refused, TensorRtLibraries.ofThisProcess(), dir.resolve("none"));

    assertThat(why).startsWith("TensorRT " + other.major() + ".3 loaded");
    assertThat(lines).contains("  version rule: refused: " + why, "    - " + why,
        "  JetPack/L4T:  not a Jetson: " + dir.resolve("none") + " absent");
  }
}
