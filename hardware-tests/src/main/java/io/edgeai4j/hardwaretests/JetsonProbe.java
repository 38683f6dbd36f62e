package io.edgeai4j.hardwaretests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.Loader;

/**
 * Checks, without loading any native library, that this machine can run the hardware suite: an aarch64 JVM, a Jetson
 * Linux (L4T) release file, and the TensorRT, ONNX parser and CUDA runtime libraries whose sonames the presets on the
 * class path link ({@code libnvinfer.so.<TensorRT major>}, {@code libnvonnxparser.so.<TensorRT major>},
 * {@code libcudart.so.<CUDA major>}) in the directories JetPack installs them in, {@code LD_LIBRARY_PATH} and
 * {@code java.library.path}. Each problem is one sentence saying what was looked for, where, and what was found.
 * Whether a GPU answers is the CUDA runtime's to say; that check comes with the phase-2 tests. Immutable.
 */
public final class JetsonProbe {

  /** Where JetPack installs TensorRT and CUDA on a Jetson. */
  public static final List<Path> JETPACK_LIBRARY_DIRS = List.of(Path.of("/usr/lib/aarch64-linux-gnu"),
      Path.of("/usr/lib/aarch64-linux-gnu/nvidia"), Path.of("/usr/local/cuda/lib64"),
      Path.of("/usr/local/cuda/targets/aarch64-linux/lib"));

  private final String osArch;
  private final Path releaseFile;
  private final List<Path> libraryDirs;
  private final int tensorRtMajor;
  private final int cudaMajor;

  /** A probe of the given machine facts; see {@link #ofThisMachine()}. */
  public JetsonProbe(String osArch, Path releaseFile, List<Path> libraryDirs, int tensorRtMajor, int cudaMajor) {
    this.osArch = Objects.requireNonNull(osArch, "osArch");
    this.releaseFile = Objects.requireNonNull(releaseFile, "releaseFile");
    this.libraryDirs = List.copyOf(libraryDirs);
    this.tensorRtMajor = tensorRtMajor;
    this.cudaMajor = cudaMajor;
  }

  /**
   * The probe of this JVM: {@code os.arch}, {@code /etc/nv_tegra_release}, the JetPack directories then
   * {@code LD_LIBRARY_PATH} and {@code java.library.path}, and the majors of the tensorrt and cuda presets on the
   * class path.
   */
  public static JetsonProbe ofThisMachine() {
    List<Path> dirs = new ArrayList<>(JETPACK_LIBRARY_DIRS);
    dirs.addAll(split(System.getenv("LD_LIBRARY_PATH")));
    dirs.addAll(split(System.getProperty("java.library.path")));
    return new JetsonProbe(System.getProperty("os.arch"), Path.of("/etc/nv_tegra_release"), dirs,
        major(presetVersion("tensorrt")), major(presetVersion("cuda")));
  }

  /** The version of an {@code org.bytedeco} preset on the class path, e.g. {@code 10.6-1.5.11}. */
  public static String presetVersion(String artifact) {
    try {
      String v = Loader.getVersion("org.bytedeco", artifact);
      if (v == null) {
        throw new IllegalStateException("no org.bytedeco:" + artifact + " jar on the class path (its"
            + " META-INF/maven/org.bytedeco/" + artifact + "/pom.properties was not found)");
      }
      return v;
    } catch (IOException e) {
      throw new IllegalStateException("reading the version of org.bytedeco:" + artifact + ": " + e.getMessage(), e);
    }
  }

  static int major(String presetVersion) {
    int dot = presetVersion.indexOf('.');
    if (dot < 1) {
      throw new IllegalArgumentException("preset version '" + presetVersion + "': expected <major>.<minor>-...");
    }
    return Integer.parseInt(presetVersion.substring(0, dot));
  }

  private static List<Path> split(String pathList) {
    List<Path> dirs = new ArrayList<>();
    if (pathList != null) {
      for (String d : pathList.split(File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    return dirs;
  }

  /** The sonames this probe looks for, in order. */
  public List<String> sonames() {
    return List.of("libnvinfer.so." + tensorRtMajor, "libnvonnxparser.so." + tensorRtMajor,
        "libcudart.so." + cudaMajor);
  }

  /** Every problem found; empty when the machine can run the suite. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!osArch.equals("aarch64")) {
      problems.add("os.arch is " + osArch + ": expected aarch64 (a Jetson)");
    }
    if (!Files.isRegularFile(releaseFile)) {
      problems.add("no " + releaseFile + ": not a Jetson Linux (L4T) system; JetPack 6 writes it");
    }
    for (String soname : sonames()) {
      if (find(soname) == null) {
        problems.add(soname + " not found in " + libraryDirs + " (the JetPack " + (tensorRtMajor >= 11 ? "7" : "6")
            + " package that provides it is not installed, or add its directory to LD_LIBRARY_PATH)");
      }
    }
    return problems;
  }

  /** What was found: os.arch, the L4T release line and each library's path, for the report. */
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("os.arch", osArch);
    facts.put("l4t", firstLine(releaseFile));
    for (String soname : sonames()) {
      Path p = find(soname);
      facts.put(soname, p == null ? "not found" : p.toString());
    }
    return facts;
  }

  private Path find(String soname) {
    for (Path dir : libraryDirs) {
      Path candidate = dir.resolve(soname);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "(empty " + file + ")" : lines.get(0).trim();
    } catch (IOException e) {
      return "not found (" + file + ")";
    }
  }
}
