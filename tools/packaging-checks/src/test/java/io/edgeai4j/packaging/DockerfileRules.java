package io.edgeai4j.packaging;

import io.edgeai4j.packaging.Dockerfile.Instruction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static rules every module image follows, since Docker is not available where the build runs. Each problem
 * names the line, what was found and what was expected. An empty list means the Dockerfile passes.
 */
final class DockerfileRules {
  /** The JDWP agent the debug images start. */
  static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005";

  private static final Pattern TEMURIN_17_JRE = Pattern.compile("eclipse-temurin:17[.\\d_]*-jre(-[a-z]+)?");
  private static final Pattern L4T_JETPACK_6 =
      Pattern.compile("nvcr\\.io/nvidia/l4t-(tensorrt:r10\\.3[.\\w-]*|jetpack:r36\\.[\\d.]+)");
  private static final Pattern CUDA_12_CUDNN_9_RUNTIME =
      Pattern.compile("nvidia/cuda:12\\.\\d+\\.\\d+-cudnn9?-runtime-ubuntu\\d{2}\\.\\d{2}");
  private static final Pattern URL = Pattern.compile("https?://([^/\\s\"']+)(/[^\\s\"']*)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");
  /** The share of the container's memory limit that Java heap and direct buffers together may take. */
  static final double JAVA_SHARE_OF_LIMIT = 0.8;

  /**
   * What the Dockerfile of one module and platform must say.
   *
   * @param platform The platform.
   * @param gpu Whether the module runs GPU code (its arm64v8 image needs the L4T TensorRT base).
   * @param jarSource The jar the build writes, relative to the build context, e.g. {@code target/edgeai4j-x.jar}.
   * @param mainClass The class the entry point runs (EdgeModuleMain).
   * @param factoryId The id the entry point must pass to EdgeModuleMain.
   * @param metricsPort The metrics server's default port.
   * @param healthPaths The health paths the metrics server serves.
   * @param memoryLimitMib The container memory limit the deployment gives the module, in MiB.
   */
  record Expectations(Platform platform, boolean gpu, String jarSource, String mainClass, String factoryId,
      int metricsPort, List<String> healthPaths, long memoryLimitMib) {
    Expectations {
      healthPaths = List.copyOf(healthPaths);
      if (memoryLimitMib <= 0) {
        throw new IllegalArgumentException("memoryLimitMib " + memoryLimitMib + ", expected a positive limit");
      }
    }

    /**
     * Returns the folder of runtime dependencies the image copies: target/lib-gpu for the CUDA image, target/lib-jetson
     * for a GPU module's Jetson image, else target/lib.
     */
    String libSource() {
      return platform.cuda() ? "target/lib-gpu" : jetsonGpu() ? "target/lib-jetson" : "target/lib";
    }

    /** Returns whether this is a GPU module's Jetson image (L4T base, the TensorRT backend). */
    boolean jetsonGpu() {
      return platform == Platform.ARM64V8 && gpu;
    }
  }

  /** The options that give the JVM a class path. */
  private static final List<String> CLASS_PATH_OPTIONS = List.of("-cp", "-classpath", "--class-path");

  /**
   * Where the two COPY instructions put the jar and the runtime dependencies in the image.
   *
   * @param jar The jar's path in the image, or null when no COPY brings it.
   * @param lib The dependencies' folder in the image (no trailing slash), or null when no COPY brings it.
   */
  private record Copies(String jar, String lib) {
    /** Returns the class path the entry point must give: the jar, then every jar in the lib folder. */
    String classPath() {
      return (jar == null ? "<jar>" : jar) + ":" + (lib == null ? "<lib>" : lib) + "/*";
    }
  }

  /**
   * The entry point's java command line, split as the java launcher reads it.
   *
   * @param jvmFlags The options before the main class, without the class path option and its value.
   * @param classPath The value of -cp (or -classpath, --class-path), or null.
   * @param jar The file after -jar, or null.
   * @param mainClass The first argument that is no option, or null.
   * @param programArgs The arguments after the main class (or after -jar's file).
   */
  private record JavaCommand(List<String> jvmFlags, String classPath, String jar, String mainClass,
      List<String> programArgs) {
    static JavaCommand parse(List<String> args) {
      List<String> flags = new ArrayList<>();
      String classPath = null;
      for (int i = 1; i < args.size(); i++) {
        String arg = args.get(i);
        if (CLASS_PATH_OPTIONS.contains(arg) && i + 1 < args.size()) {
          classPath = args.get(++i);
        } else if (arg.equals("-jar")) {
          String jar = i + 1 < args.size() ? args.get(i + 1) : "";
          return new JavaCommand(flags, classPath, jar, null, args.subList(Math.min(i + 2, args.size()), args.size()));
        } else if (arg.startsWith("-")) {
          flags.add(arg);
        } else {
          return new JavaCommand(flags, classPath, null, arg, args.subList(i + 1, args.size()));
        }
      }
      return new JavaCommand(flags, classPath, null, null, List.of());
    }
  }

  private DockerfileRules() {}

  /** Returns the problems of a Dockerfile, empty when it follows every rule. */
  static List<String> check(Dockerfile file, Expectations expected) {
    List<String> problems = new ArrayList<>();
    checkBase(file, expected, problems);
    checkPlatform(file, expected.platform(), problems);
    checkUser(file, problems);
    Copies copies = checkCopies(file, expected, problems);
    checkEntrypoint(file, expected, copies, problems);
    checkPorts(file, expected, problems);
    checkHealthcheck(file, expected, problems);
    return problems;
  }

  private static void checkBase(Dockerfile file, Expectations expected, List<String> problems) {
    List<Instruction> froms = file.all("FROM");
    if (froms.isEmpty()) {
      problems.add("no FROM");
      return;
    }
    for (Instruction from : froms) {
      String image = image(from);
      if (image.contains("$")) {
        problems.add(at(from) + "FROM " + image + ": the base image is a build argument; pin it in the Dockerfile");
      } else if (!image.contains("@sha256:")) {
        String name = image.substring(image.lastIndexOf('/') + 1);
        int colon = name.indexOf(':');
        if (colon < 0) {
          problems.add(at(from) + "FROM " + image + " has no tag; pin the base image by tag");
        } else if (name.substring(colon + 1).equals("latest")) {
          problems.add(at(from) + "FROM " + image + ": 'latest' is not a pinned tag");
        }
      }
    }
    Instruction base = froms.get(froms.size() - 1);
    String image = image(base);
    boolean nvidia = image.startsWith("nvcr.io/nvidia/") || image.toLowerCase().matches(".*(l4t|cuda|tensorrt).*");
    boolean jetsonGpu = expected.platform() == Platform.ARM64V8 && expected.gpu();
    if (expected.platform().cuda()) {
      checkCudaBase(file, base, image, problems);
      return;
    }
    if (nvidia && expected.platform() != Platform.ARM64V8) {
      problems.add(at(base) + "FROM " + image + ": an NVIDIA base in a CPU image; only Dockerfile.amd64.gpu (CUDA) and a"
          + " GPU module's Dockerfile.arm64v8 (L4T) may use one, and CPU images carry no TensorRT or CUDA");
    } else if (!jetsonGpu && !TEMURIN_17_JRE.matcher(image).matches()) {
      problems.add(at(base) + "FROM " + image + ": expected the Eclipse Temurin 17 JRE"
          + " (eclipse-temurin:17.<update>-jre-<distribution>)");
    }
    if (jetsonGpu) {
      if (!L4T_JETPACK_6.matcher(image).matches()) {
        problems.add(at(base) + "FROM " + image + ": expected an NVIDIA L4T base with TensorRT for JetPack 6"
            + " (nvcr.io/nvidia/l4t-tensorrt:r10.3.<x>-runtime or nvcr.io/nvidia/l4t-jetpack:r36.<x>)");
      }
      requireJre(file, "L4T", problems);
    }
  }

  /**
   * Every {@code FROM} names the image's platform ({@code FROM --platform=linux/arm64 ...} in Dockerfile.arm64v8):
   * without it, a multi-platform base resolves to the build host's platform, and an x86 CI pushes an amd64 image
   * under the arm64v8 tag (iotedgedev passes no {@code --platform} of its own).
   */
  static void checkPlatform(Dockerfile file, Platform platform, List<String> problems) {
    String wanted = "--platform=" + platform.dockerPlatform();
    for (Instruction from : file.all("FROM")) {
      String option = Arrays.stream(from.arguments().split("\\s+")).filter(a -> a.startsWith("--platform"))
          .findFirst().orElse(null);
      if (option == null) {
        problems.add(at(from) + "FROM " + image(from) + " names no platform; a multi-platform base then follows the"
            + " build host (an x86 CI builds amd64); expected FROM " + wanted + " in " + platform.dockerfile());
      } else if (option.contains("$")) {
        problems.add(at(from) + "FROM " + option + ": the platform is a build argument; pin " + wanted + " in "
            + platform.dockerfile());
      } else if (!option.equals(wanted)) {
        problems.add(at(from) + "FROM " + option + " in " + platform.dockerfile() + ", expected " + wanted);
      }
    }
  }

  /** The amd64 GPU image: NVIDIA's CUDA 12 runtime with cuDNN 9 (what ONNX Runtime's GPU build links) and a JRE. */
  private static void checkCudaBase(Dockerfile file, Instruction base, String image, List<String> problems) {
    if (!CUDA_12_CUDNN_9_RUNTIME.matcher(image).matches()) {
      problems.add(at(base) + "FROM " + image + ": expected NVIDIA's CUDA 12 runtime with cuDNN 9, which ONNX"
          + " Runtime's GPU build links (nvidia/cuda:12.<minor>.<patch>-cudnn-runtime-ubuntu<version>)");
    }
    requireJre(file, "CUDA", problems);
  }

  private static void requireJre(Dockerfile file, String baseName, List<String> problems) {
    if (file.all("RUN").stream().noneMatch(r -> r.arguments().contains("openjdk-17-jre"))) {
      problems.add("no Java 17 runtime: the " + baseName + " base has none; install openjdk-17-jre-headless");
    }
  }

  private static void checkUser(Dockerfile file, List<String> problems) {
    Instruction user = file.last("USER");
    if (user == null) {
      problems.add("no USER: the module would run as root");
      return;
    }
    String uid = user.arguments().split(":")[0];
    if (!uid.matches("\\d+")) {
      problems.add(at(user) + "USER " + user.arguments() + ": expected a numeric uid (e.g. 10001), so that"
          + " non-root checks and host volume permissions can rely on it");
    } else if (Integer.parseInt(uid) == 0) {
      problems.add(at(user) + "USER " + user.arguments() + ": the module would run as root");
    }
  }

  /** Checks the two COPY instructions; returns where the jar and the dependencies land in the image. */
  private static Copies checkCopies(Dockerfile file, Expectations expected, List<String> problems) {
    Instruction libCopy = null;
    String libDestination = null;
    Instruction jarCopy = null;
    String jarDestination = null;
    for (Instruction copy : file.all("COPY")) {
      List<String> args = Arrays.stream(copy.arguments().split("\\s+")).filter(a -> !a.startsWith("--")).toList();
      if (args.size() < 2) {
        continue;
      }
      String destination = args.get(args.size() - 1);
      for (String source : args.subList(0, args.size() - 1)) {
        String folder = trimSlash(source);
        if (folder.equals("target/lib") || folder.equals("target/lib-gpu") || folder.equals("target/lib-jetson")) {
          if (!folder.equals(expected.libSource())) {
            problems.add(at(copy) + "copies " + folder + ", expected " + expected.libSource() + (expected.platform()
                .cuda() ? " (target/lib with ONNX Runtime's GPU build, written by mvn package -Pgpu-image)"
                : expected.jetsonGpu() ? " (target/lib with the TensorRT backend and the JavaCPP presets for"
                + " linux-arm64, written by mvn package)"
                : " (a CPU image carries ONNX Runtime's CPU build, not the 640 MB GPU build)"));
          }
          libCopy = copy;
          libDestination = trimSlash(destination);
        } else if (source.equals(expected.jarSource())) {
          jarCopy = copy;
          jarDestination = destination.endsWith("/")
              ? destination + expected.jarSource().substring(expected.jarSource().lastIndexOf('/') + 1)
              : destination;
        }
      }
    }
    if (libCopy == null) {
      problems.add("no COPY of " + expected.libSource() + " (the runtime dependencies, which the entry point's -cp"
          + " loads)");
    }
    if (jarCopy == null) {
      problems.add("no COPY of " + expected.jarSource() + " (the jar `mvn package` writes)");
    }
    if (libCopy != null && jarCopy != null && libCopy.line() > jarCopy.line()) {
      problems.add(at(jarCopy) + "the jar is copied before target/lib; copy the dependencies first, so that their"
          + " layer stays cached when only the module changes");
    }
    return new Copies(jarDestination, libDestination);
  }

  private static void checkEntrypoint(Dockerfile file, Expectations expected, Copies copies,
      List<String> problems) {
    Instruction entrypoint = file.last("ENTRYPOINT");
    if (entrypoint == null) {
      problems.add("no ENTRYPOINT");
      return;
    }
    for (Instruction cmd : file.all("CMD")) {
      problems.add(at(cmd) + "CMD adds arguments after the entry point's; it takes the factory id alone");
    }
    List<String> args = entrypoint.execForm();
    if (args == null) {
      problems.add(at(entrypoint) + "ENTRYPOINT in shell form; expected exec form ([\"java\", ...]), so that java"
          + " is PID 1 and receives SIGTERM");
      return;
    }
    if (args.isEmpty() || !(args.get(0).equals("java") || args.get(0).endsWith("/java"))) {
      problems.add(at(entrypoint) + "ENTRYPOINT runs " + (args.isEmpty() ? "nothing" : args.get(0))
          + ", expected java");
      return;
    }
    JavaCommand command = JavaCommand.parse(args);
    checkClassPathAndMain(command, expected, copies, entrypoint, problems);
    List<String> jvmFlags = command.jvmFlags();
    requireFlag(jvmFlags, "-XX:MaxRAMPercentage=", "(a heap within the container's memory limit)", entrypoint,
        problems);
    requireFlag(jvmFlags, "-XX:MaxDirectMemorySize=", "(direct buffers, where tensors live, are otherwise bounded"
        + " only by the heap size)", entrypoint, problems);
    requireFlag(jvmFlags, "-XX:+ExitOnOutOfMemoryError", "(so that edgeAgent restarts a module out of memory)",
        entrypoint, problems);
    checkMemoryBudget(jvmFlags, expected.memoryLimitMib(), entrypoint, problems);
    jvmFlags.stream().filter(f -> f.startsWith("-Xmx")).forEach(f -> problems.add(at(entrypoint) + "ENTRYPOINT sets "
        + f + ": a fixed heap ignores the container's memory limit; use -XX:MaxRAMPercentage"));
    boolean jdwp = file.instructions().stream().anyMatch(i -> i.arguments().contains("jdwp"));
    if (expected.platform().debug() && !jvmFlags.contains(JDWP)) {
      problems.add(at(entrypoint) + "debug image without " + JDWP + " in its ENTRYPOINT");
    } else if (!expected.platform().debug() && jdwp) {
      problems.add("JDWP in a non-debug image; only Dockerfile.amd64.debug opens a debugger port");
    }
  }

  /**
   * The entry point runs EdgeModuleMain on an explicit class path, the copied jar and every jar of the copied lib
   * folder ({@code -cp /app/m.jar:/app/lib/*}; the JVM expands the wildcard), never {@code -jar}: the jar names no
   * Class-Path, since a module depending on it in a reactor build would follow one into target/lib.
   */
  private static void checkClassPathAndMain(JavaCommand command, Expectations expected, Copies copies,
      Instruction entrypoint, List<String> problems) {
    String wanted = "-cp " + copies.classPath() + " " + expected.mainClass() + " " + expected.factoryId();
    if (command.jar() != null) {
      problems.add(at(entrypoint) + "ENTRYPOINT runs -jar " + command.jar() + ", but the jar names no Class-Path (a"
          + " module depending on it in a reactor build would inherit target/lib); expected " + wanted);
      return;
    }
    if (command.classPath() == null) {
      problems.add(at(entrypoint) + "ENTRYPOINT gives no -cp; expected " + wanted);
    } else {
      List<String> entries = List.of(command.classPath().split(":"));
      if (copies.jar() != null && !entries.contains(copies.jar())) {
        problems.add(at(entrypoint) + "ENTRYPOINT's -cp " + command.classPath() + " does not name " + copies.jar()
            + " (where " + expected.jarSource() + " is copied)");
      }
      if (copies.lib() != null && !entries.contains(copies.lib() + "/*")) {
        problems.add(at(entrypoint) + "ENTRYPOINT's -cp " + command.classPath() + " lacks " + copies.lib() + "/*"
            + " (every jar of " + expected.libSource() + ", copied to " + copies.lib() + "; the JVM expands only a"
            + " bare *)");
      }
    }
    if (command.mainClass() == null) {
      problems.add(at(entrypoint) + "ENTRYPOINT names no main class; expected " + wanted);
    } else if (!command.mainClass().equals(expected.mainClass())) {
      problems.add(at(entrypoint) + "ENTRYPOINT runs the class " + command.mainClass() + ", expected "
          + expected.mainClass());
    }
    if (command.mainClass() != null && !command.programArgs().equals(List.of(expected.factoryId()))) {
      problems.add(at(entrypoint) + "ENTRYPOINT passes " + command.programArgs() + " to " + expected.mainClass()
          + ", expected the factory id [" + expected.factoryId() + "] alone");
    }
  }

  private static void checkPorts(Dockerfile file, Expectations expected, List<String> problems) {
    List<String> ports = file.all("EXPOSE").stream()
        .flatMap(e -> Arrays.stream(e.arguments().split("\\s+")))
        .map(p -> p.replace("/tcp", ""))
        .toList();
    if (!ports.contains(String.valueOf(expected.metricsPort()))) {
      problems.add("no EXPOSE " + expected.metricsPort() + " (metrics and health); EXPOSE lists " + ports);
    }
    if (expected.platform().debug() && !ports.contains("5005")) {
      problems.add("debug image does not EXPOSE 5005 (JDWP)");
    } else if (!expected.platform().debug() && ports.contains("5005")) {
      problems.add("EXPOSE 5005 (JDWP) in a non-debug image");
    }
  }

  private static void checkHealthcheck(Dockerfile file, Expectations expected, List<String> problems) {
    Instruction health = file.last("HEALTHCHECK");
    if (health == null || health.arguments().equals("NONE")) {
      problems.add("no HEALTHCHECK; expected one probing " + expected.healthPaths() + " on port "
          + expected.metricsPort());
      return;
    }
    String args = health.arguments();
    Matcher url = URL.matcher(args);
    if (!url.find()) {
      problems.add(at(health) + "HEALTHCHECK probes no http:// URL; expected one of " + expected.healthPaths()
          + " on port " + expected.metricsPort());
      return;
    }
    String hostPort = url.group(1);
    String path = url.group(2);
    if (!expected.healthPaths().contains(path)) {
      problems.add(at(health) + "HEALTHCHECK probes " + path + ", which the metrics server does not serve (it serves "
          + expected.healthPaths() + ")");
    }
    String port = hostPort.contains(":") ? hostPort.substring(hostPort.indexOf(':') + 1) : "80";
    String defaulted = "${EDGEAI4J_METRICS_PORT:-" + expected.metricsPort() + "}";
    if (!port.equals(String.valueOf(expected.metricsPort())) && !port.equals(defaulted)) {
      problems.add(at(health) + "HEALTHCHECK probes port " + port + ", expected the metrics port "
          + expected.metricsPort() + " (or " + defaulted + ")");
    }
    int cmd = args.indexOf("CMD ");
    String tool = cmd < 0 ? "" : args.substring(cmd + 4).strip().split("\\s+")[0].replaceAll("[\\[\",]", "");
    if ((tool.equals("curl") || tool.equals("wget")) && file.all("RUN").stream().noneMatch(
        r -> r.arguments().contains("install") && r.arguments().matches("(?s).*\\b" + tool + "\\b.*"))) {
      problems.add(at(health) + "HEALTHCHECK runs " + tool + ", which no RUN installs (the tools a base image"
          + " happens to carry are not part of its contract)");
    }
  }

  /**
   * Heap (MaxRAMPercentage of the limit) plus direct buffers (MaxDirectMemorySize) may take at most
   * {@link #JAVA_SHARE_OF_LIMIT} of the container's limit: the rest holds metaspace, code cache, thread stacks, GC
   * structures and native libraries, and the kernel kills a container that exceeds its limit.
   */
  private static void checkMemoryBudget(List<String> jvmFlags, long limitMib, Instruction entrypoint,
      List<String> problems) {
    String percentFlag = lastValue(jvmFlags, "-XX:MaxRAMPercentage=");
    String directFlag = lastValue(jvmFlags, "-XX:MaxDirectMemorySize=");
    if (percentFlag == null || directFlag == null) {
      return;
    }
    double percent;
    try {
      percent = Double.parseDouble(percentFlag);
    } catch (NumberFormatException e) {
      problems.add(at(entrypoint) + "ENTRYPOINT sets -XX:MaxRAMPercentage=" + percentFlag + ", expected a number");
      return;
    }
    Matcher size = SIZE.matcher(directFlag);
    if (!size.matches()) {
      problems.add(at(entrypoint) + "ENTRYPOINT sets -XX:MaxDirectMemorySize=" + directFlag
          + ", expected a size such as 64m");
      return;
    }
    double directMib = Long.parseLong(size.group(1)) * switch (size.group(2).toLowerCase()) {
      case "g" -> 1024.0;
      case "m" -> 1.0;
      case "k" -> 1.0 / 1024;
      default -> 1.0 / (1024 * 1024);
    };
    double heapMib = percent * limitMib / 100;
    double allowedMib = JAVA_SHARE_OF_LIMIT * limitMib;
    if (heapMib + directMib > allowedMib) {
      problems.add(String.format(Locale.ROOT, "%sENTRYPOINT: heap %s %% of %d MiB (%d MiB) + direct"
              + " buffers %d MiB = %d MiB, over %d %% of the container's %d MiB limit (%d MiB); the rest holds"
              + " metaspace, code cache, thread stacks, GC structures and native libraries",
          at(entrypoint), percentFlag, limitMib, (long) heapMib, (long) directMib, (long) (heapMib + directMib),
          Math.round(JAVA_SHARE_OF_LIMIT * 100), limitMib, (long) allowedMib));
    }
  }

  private static String lastValue(List<String> flags, String prefix) {
    String value = null;
    for (String flag : flags) {
      if (flag.startsWith(prefix)) {
        value = flag.substring(prefix.length());
      }
    }
    return value;
  }

  private static void requireFlag(List<String> flags, String prefix, String why, Instruction entrypoint,
      List<String> problems) {
    if (flags.stream().noneMatch(f -> f.startsWith(prefix))) {
      problems.add(at(entrypoint) + "ENTRYPOINT lacks " + prefix + (prefix.endsWith("=") ? "<value> " : " ") + why);
    }
  }

  private static String image(Instruction from) {
    return Arrays.stream(from.arguments().split("\\s+")).filter(a -> !a.startsWith("--")).findFirst().orElse("");
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String at(Instruction instruction) {
    return "line " + instruction.line() + ": ";
  }
}
