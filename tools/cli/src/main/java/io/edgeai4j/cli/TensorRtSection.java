package io.edgeai4j.cli;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.Cuda;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The TensorRT part of {@code edge doctor}, from {@link TensorRt#probe()}: the libraries searched for and loaded, the
 * loaded TensorRT and the presets' version, the version rule's verdict, the GPUs, JetPack's L4T release and, when
 * TensorRT cannot be used, the probe's reasons verbatim with the override property. It only looks. Stateless.
 */
final class TensorRtSection {
  /** Where L4T (JetPack's Linux) records its release. */
  static final Path L4T_RELEASE = Path.of("/etc/nv_tegra_release");

  private TensorRtSection() {}

  /** The section's lines, for {@code probe} made with {@code libraries}; {@code l4tRelease} may be absent. */
  static List<String> lines(TensorRtAvailability probe, TensorRtLibraries libraries, Path l4tRelease) {
    List<String> out = new ArrayList<>();
    out.add("TensorRT (the native backend's library, through the JavaCPP presets):");
    out.add("  presets:      TensorRT " + probe.preset() + " (this build's org.bytedeco:tensorrt)");
    out.add("  searched:     " + libraries.describe());
    out.add("  loaded:       " + (probe.loaded().isEmpty() ? "nothing (TensorRT is loaded only when every library"
        + " it needs was found)" : String.join(", ", probe.loaded())));
    out.add("  library:      " + probe.library().map(v -> "TensorRT " + v).orElse("not loaded"));
    out.add("  version rule: " + probe.library().map(v -> TensorRt.versionVerdict(v)
        .map(why -> "refused: " + why).orElse("accepted (" + v + " with presets " + probe.preset() + ")"))
        .orElse("not checked: no TensorRT library was loaded"));
    out.add("  GPUs:         " + gpus(probe));
    out.add("  JetPack/L4T:  " + firstLine(l4tRelease).map(l -> l + " (" + l4tRelease + ")")
        .orElse("not a Jetson: " + l4tRelease + " absent"));
    if (probe.available()) {
      out.add("  verdict:      available: " + probe.summary());
    } else {
      out.add("  verdict:      unavailable here, because:");
      probe.reasons().forEach(r -> out.add("    - " + r));
      out.add("  override:     -D" + TensorRtLibraries.LIBRARY_PATH_PROPERTY + "=DIR[:DIR] is searched first (through"
          + " ./edge: EDGE_JAVA_OPTS=-D" + TensorRtLibraries.LIBRARY_PATH_PROPERTY + "=DIR)");
    }
    return out;
  }

  /** The probe's GPUs; when the probe stopped before asking CUDA but CUDA's libraries are here, CUDA is asked. */
  private static String gpus(TensorRtAvailability probe) {
    if (!probe.gpus().isEmpty()) {
      return describe(probe.gpus());
    }
    boolean cudaMissing = probe.reasons().stream()
        .anyMatch(r -> r.startsWith("no CUDA driver") || r.startsWith("libcudart.so."));
    if (cudaMissing) {
      return "not asked: the CUDA driver or runtime library is missing (see the reasons below)";
    }
    try {
      List<GpuInfo> gpus = Cuda.devices();
      return gpus.isEmpty() ? "none (cudaGetDeviceCount: cudaErrorNoDevice)" : describe(gpus);
    } catch (NativeBindingException | RuntimeException | LinkageError e) {
      return "CUDA could not be asked: " + e.getMessage();
    }
  }

  private static String describe(List<GpuInfo> gpus) {
    return String.join("; ", gpus.stream().map(g -> String.format(Locale.ROOT, "%d: %s, compute %s, %s, %d MiB",
        g.index(), g.name(), g.computeCapability(), g.integrated() ? "integrated (shares host memory)" : "discrete",
        g.totalMemoryBytes() >> 20)).toList());
  }

  private static Optional<String> firstLine(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.findFirst().map(String::trim);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
