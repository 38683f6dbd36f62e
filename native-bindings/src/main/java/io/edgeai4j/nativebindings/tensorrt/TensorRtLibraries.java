package io.edgeai4j.nativebindings.tensorrt;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the system's TensorRT and CUDA libraries are looked for, in this order (the first directory holding a
 * library wins):
 *
 * <ol>
 *   <li>{@code -Dedgeai4j.tensorrt.libraryPath=DIR[:DIR...]}, the override;
 *   <li>{@code LD_LIBRARY_PATH};
 *   <li>the presets' {@code platform.linkpath} for this platform ({@code /usr/lib/aarch64-linux-gnu},
 *       {@code /usr/local/tensorrt/lib}, {@code /usr/local/cuda/lib64} on linux-arm64; the x86-64 equivalents);
 *   <li>JetPack's driver directories for {@code libcuda.so.1}: {@code /usr/lib/aarch64-linux-gnu/nvidia} (JetPack 6),
 *       {@code /usr/lib/aarch64-linux-gnu/tegra} (JetPack 5), and {@code /usr/local/cuda/compat}.
 * </ol>
 *
 * <p>The JNI glue ({@code libjninvinfer.so}, {@code libjnicudart.so}) always comes from the presets' jars.
 * {@link #configureJavaCpp(List)} hands the directories where libraries were found to JavaCPP
 * ({@code org.bytedeco.javacpp.platform.preloadpath}) with {@code org.bytedeco.javacpp.pathsFirst=true}, so the
 * system's libraries are the ones loaded. Immutable and thread-safe; pure Java (nothing is loaded here).
 */
public final class TensorRtLibraries {
  /** The override property: directories, separated by {@code :}, searched first. */
  public static final String LIBRARY_PATH_PROPERTY = "edgeai4j.tensorrt.libraryPath";

  /** One directory searched, and why. */
  public record SearchDir(Path dir, String origin) {
    @Override
    public String toString() {
      return dir + " (" + origin + ")";
    }
  }

  private final List<SearchDir> dirs;

  private TensorRtLibraries(List<SearchDir> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  /** The search order of this process: its system property, environment and JavaCPP platform. */
  public static TensorRtLibraries ofThisProcess() {
    return of(Optional.ofNullable(System.getProperty(LIBRARY_PATH_PROPERTY)),
        Optional.ofNullable(System.getenv("LD_LIBRARY_PATH")), platform());
  }

  /**
   * The search order for the given override, {@code LD_LIBRARY_PATH} and JavaCPP platform ({@code linux-arm64},
   * {@code linux-x86_64}).
   */
  public static TensorRtLibraries of(Optional<String> override, Optional<String> ldLibraryPath, String platform) {
    Map<Path, SearchDir> ordered = new LinkedHashMap<>();
    override.ifPresent(v -> split(v).forEach(d -> ordered.putIfAbsent(d, new SearchDir(d,
        "-D" + LIBRARY_PATH_PROPERTY))));
    ldLibraryPath.ifPresent(v -> split(v).forEach(d -> ordered.putIfAbsent(d, new SearchDir(d, "LD_LIBRARY_PATH"))));
    String triple = platform.endsWith("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
    for (String d : List.of("/usr/lib/" + triple, "/usr/local/tensorrt/lib", "/usr/local/cuda/lib64")) {
      ordered.putIfAbsent(Path.of(d), new SearchDir(Path.of(d), "presets' platform.linkpath"));
    }
    List<String> driver = platform.endsWith("arm64")
        ? List.of("/usr/lib/aarch64-linux-gnu/nvidia", "/usr/lib/aarch64-linux-gnu/tegra", "/usr/local/cuda/compat")
        : List.of("/usr/local/cuda/compat");
    for (String d : driver) {
      ordered.putIfAbsent(Path.of(d), new SearchDir(Path.of(d), "CUDA driver directory"));
    }
    return new TensorRtLibraries(new ArrayList<>(ordered.values()));
  }

  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
        : System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT).replace(' ', '-');
    String arch = System.getProperty("os.arch", "");
    return os + "-" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64"
        : arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
  }

  private static List<Path> split(String value) {
    List<Path> out = new ArrayList<>();
    for (String part : value.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        out.add(Path.of(part.trim()));
      }
    }
    return out;
  }

  /** The directories searched, in order. */
  public List<SearchDir> searchPath() {
    return dirs;
  }

  /** The first file named {@code soname} (e.g. {@code libnvinfer.so.10}) in the search path. */
  public Optional<Path> find(String soname) {
    for (SearchDir d : dirs) {
      Path p = d.dir().resolve(soname);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code /a, /b, /c}: the directories, for messages. */
  public String describe() {
    return dirs.stream().map(d -> d.dir().toString()).collect(Collectors.joining(", "));
  }

  /**
   * Points JavaCPP at the directories where the libraries were found: {@code org.bytedeco.javacpp.pathsFirst=true}
   * and {@code org.bytedeco.javacpp.platform.preloadpath}, each only when not already set on the command line.
   */
  public static void configureJavaCpp(List<Path> found) {
    if (System.getProperty("org.bytedeco.javacpp.pathsFirst") == null) {
      System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
    }
    if (System.getProperty("org.bytedeco.javacpp.platform.preloadpath") == null && !found.isEmpty()) {
      System.setProperty("org.bytedeco.javacpp.platform.preloadpath", found.stream().map(Path::getParent)
          .distinct().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    }
  }
}
