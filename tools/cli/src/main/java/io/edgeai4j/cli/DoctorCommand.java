package io.edgeai4j.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtLibraries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code edge doctor}: what this machine can run. Reports Java, ONNX Runtime, NVIDIA devices and
 * libraries, each inference backend's availability with the reason, TensorRT ({@link TensorRtSection}), and the
 * module implementations found. It only looks; it changes nothing and reaches no network.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Reports Java, ONNX Runtime, accelerators, inference backends, TensorRT and the modules found.")
final class DoctorCommand implements Callable<Integer> {
  static final List<Path> NVIDIA_DEVICES = List.of(
      Path.of("/dev/nvidia0"), Path.of("/dev/nvidiactl"), Path.of("/dev/nvhost-ctrl-gpu"), Path.of("/dev/nvgpu"));
  static final List<String> LIBRARY_DIRS = List.of("/usr/lib/aarch64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
      "/usr/local/cuda/lib64", "/usr/local/cuda/targets/aarch64-linux/lib", "/usr/lib64", "/usr/lib");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Java:         " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
        + ", " + System.getProperty("java.home") + ")");
    out.println("Platform:     " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
        + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    String ortVersion = null;
    String ortProblem = null;
    EnumSet<OrtProvider> providers = EnumSet.noneOf(OrtProvider.class);
    try {
      // The environment the onnxruntime backends create (OrtNatives): the same level and name, or ONNX Runtime warns
      // "Tried to change OrtEnvironment's logging level or name" when the backends' probes run below.
      ortVersion = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "edgeai4j").getVersion();
      providers = OrtEnvironment.getAvailableProviders();
      out.println("ONNX Runtime: " + ortVersion + ", execution providers " + providers);
    } catch (LinkageError | Exception e) {
      ortProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
      out.println("ONNX Runtime: cannot load: " + ortProblem);
    }
    out.println("Accelerators:");
    Set<String> found = new LinkedHashSet<>();
    NVIDIA_DEVICES.stream().filter(Files::exists).forEach(p -> found.add("device " + p));
    readFirstLine(Path.of("/proc/device-tree/model")).ifPresent(m -> found.add("board: " + m.replace("\0", "")));
    readFirstLine(Path.of("/etc/nv_tegra_release")).ifPresent(r -> found.add("L4T: " + r));
    List<Path> nvinfer = findLibraries("libnvinfer.so");
    List<Path> cudart = findLibraries("libcudart.so");
    nvinfer.forEach(p -> found.add("TensorRT library " + p));
    cudart.forEach(p -> found.add("CUDA runtime library " + p));
    if (found.isEmpty()) {
      out.println("  none: no NVIDIA device (" + NVIDIA_DEVICES + "), no libnvinfer or libcudart in "
          + searchPath());
    } else {
      found.forEach(f -> out.println("  " + f));
    }
    out.println("Inference backends (best first; the inference module picks the first available one unless its"
        + " twin names one):");
    List<Backends.Found> backends = Backends.probeAll();
    for (Backends.Found f : backends) {
      out.printf("  %-17s %s: %s%n", f.provider().name(), f.probe().available() ? "available" : "unavailable",
          f.probe().detail());
    }
    if (backends.isEmpty()) {
      out.println("  none: " + Backends.describe(backends));
    }
    if (backends.stream().noneMatch(f -> f.provider().name().equals("tensorrt"))) {
      out.println("  tensorrt          not on this build's class path (its backend module, edgeai4j-inference-tensorrt);"
          + " whether TensorRT itself could run here: see TensorRT below");
    }
    TensorRtLibraries libraries = TensorRtLibraries.ofThisProcess();
    TensorRtSection.lines(TensorRt.probe(libraries), libraries, TensorRtSection.L4T_RELEASE).forEach(out::println);
    out.println("Modules (image names a manifest can use):");
    for (EdgeModuleFactory f : ServiceLoader.load(EdgeModuleFactory.class)) {
      out.printf("  %-30s %s%n", f.id(), f.description());
    }
    out.println("Sensor source plug-ins (\"type\" of a sensor-ingestion source):");
    for (SensorSourceProvider p : ServiceLoader.load(SensorSourceProvider.class)) {
      out.printf("  %-16s %s%n", p.type(), p.description());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static java.util.Optional<String> readFirstLine(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.findFirst().map(String::trim);
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static List<String> searchPath() {
    List<String> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isBlank()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(LIBRARY_DIRS);
    return dirs;
  }

  private static List<Path> findLibraries(String prefix) {
    List<Path> result = new ArrayList<>();
    for (String dir : searchPath()) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().limit(1).forEach(result::add);
      } catch (IOException | RuntimeException e) {
        // the directory does not exist here: nothing to report
      }
    }
    return result;
  }
}
