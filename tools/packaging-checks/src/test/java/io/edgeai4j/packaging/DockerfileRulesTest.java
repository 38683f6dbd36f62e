package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of {@link DockerfileRules} fails a Dockerfile broken in its way, with its exact message. */
class DockerfileRulesTest {
  private static final String VALID = """
      FROM --platform=linux/amd64 eclipse-temurin:17.0.15_6-jre-jammy
      RUN apt-get update && apt-get install -y --no-install-recommends curl
      COPY target/lib/ /app/lib/
      COPY target/edgeai4j-demo.jar /app/demo.jar
      USER 10001:10001
      EXPOSE 9600
      HEALTHCHECK --interval=30s CMD curl -fsS http://127.0.0.1:${EDGEAI4J_METRICS_PORT:-9600}/health/live || exit 1
      ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError", \\
        "-cp", "/app/demo.jar:/app/lib/*", "io.edgeai4j.module.host.EdgeModuleMain", "demo"]
      """;
  /** The amd64 GPU image: CUDA 12 + cuDNN 9 runtime base, an installed JRE, target/lib-gpu. */
  private static final String VALID_GPU = VALID
      .replace("eclipse-temurin:17.0.15_6-jre-jammy", "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04")
      .replace(" curl\n", " openjdk-17-jre-headless curl\n")
      .replace("COPY target/lib/", "COPY target/lib-gpu/");
  private static final String CUDA_EXPECTED = ": expected NVIDIA's CUDA 12 runtime with cuDNN 9, which ONNX Runtime's"
      + " GPU build links (nvidia/cuda:12.<minor>.<patch>-cudnn-runtime-ubuntu<version>)";
  private static final String OVER_BUDGET = "; the rest holds metaspace, code cache, thread stacks, GC structures and"
      + " native libraries";
  private static final String MAIN = "io.edgeai4j.module.host.EdgeModuleMain";
  private static final String ENTRY = "\"-XX:+ExitOnOutOfMemoryError\", \\\n  \"-cp\"";
  private static final String JDWP_ENTRY = "\"-XX:+ExitOnOutOfMemoryError\", \"" + DockerfileRules.JDWP
      + "\", \\\n  \"-cp\"";
  private static final String CLASS_PATH = "\"/app/demo.jar:/app/lib/*\"";
  private static final String MAIN_AND_ID = "\"" + MAIN + "\", \"demo\"]";
  private static final String EXPECTED_COMMAND = "expected -cp /app/demo.jar:/app/lib/* " + MAIN + " demo";

  static Stream<Arguments> brokenDockerfiles() {
    return Stream.of(
        broken("latest tag", Platform.AMD64, "17.0.15_6-jre-jammy", "latest",
            "line 1: FROM eclipse-temurin:latest: 'latest' is not a pinned tag",
            "line 1: FROM eclipse-temurin:latest: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("no tag", Platform.AMD64, "eclipse-temurin:17.0.15_6-jre-jammy", "ubuntu",
            "line 1: FROM ubuntu has no tag; pin the base image by tag",
            "line 1: FROM ubuntu: expected the Eclipse Temurin 17 JRE (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("base from a build argument", Platform.AMD64,
            "FROM --platform=linux/amd64 eclipse-temurin:17.0.15_6-jre-jammy",
            "ARG BASE=eclipse-temurin:17.0.15_6-jre-jammy\nFROM --platform=linux/amd64 ${BASE}",
            "line 2: FROM ${BASE}: the base image is a build argument; pin it in the Dockerfile",
            "line 2: FROM ${BASE}: expected the Eclipse Temurin 17 JRE (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("a JDK 21 base", Platform.AMD64, "17.0.15_6-jre-jammy", "21.0.7_6-jre-jammy",
            "line 1: FROM eclipse-temurin:21.0.7_6-jre-jammy: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("an L4T base in an amd64 image", Platform.AMD64, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime: an NVIDIA base in a CPU image; only"
                + " Dockerfile.amd64.gpu (CUDA) and a GPU module's Dockerfile.arm64v8 (L4T) may use one, and CPU"
                + " images carry no TensorRT or CUDA"),
        broken("a CUDA base in the amd64 CPU image", Platform.AMD64, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04",
            "line 1: FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04: an NVIDIA base in a CPU image; only"
                + " Dockerfile.amd64.gpu (CUDA) and a GPU module's Dockerfile.arm64v8 (L4T) may use one, and CPU"
                + " images carry no TensorRT or CUDA"),
        broken("a CPU image copying the GPU libraries", Platform.AMD64, "COPY target/lib/", "COPY target/lib-gpu/",
            "line 3: copies target/lib-gpu, expected target/lib (a CPU image carries ONNX Runtime's CPU build, not"
                + " the 640 MB GPU build)"),
        broken("no USER", Platform.AMD64, "USER 10001:10001\n", "",
            "no USER: the module would run as root"),
        broken("a user name", Platform.AMD64, "USER 10001:10001", "USER edgeai4j",
            "line 5: USER edgeai4j: expected a numeric uid (e.g. 10001), so that non-root checks and host volume"
                + " permissions can rely on it"),
        broken("root", Platform.AMD64, "USER 10001:10001", "USER 0",
            "line 5: USER 0: the module would run as root"),
        broken("no target/lib", Platform.AMD64, "COPY target/lib/ /app/lib/\n", "",
            "no COPY of target/lib (the runtime dependencies, which the entry point's -cp loads)"),
        broken("lib copied where the -cp does not look", Platform.AMD64, "COPY target/lib/ /app/lib/",
            "COPY target/lib/ /opt/lib/",
            "line 8: ENTRYPOINT's -cp /app/demo.jar:/app/lib/* lacks /opt/lib/* (every jar of target/lib, copied to"
                + " /opt/lib; the JVM expands only a bare *)"),
        broken("jar before lib", Platform.AMD64,
            "COPY target/lib/ /app/lib/\nCOPY target/edgeai4j-demo.jar /app/demo.jar",
            "COPY target/edgeai4j-demo.jar /app/demo.jar\nCOPY target/lib/ /app/lib/",
            "line 3: the jar is copied before target/lib; copy the dependencies first, so that their layer stays"
                + " cached when only the module changes"),
        broken("another jar", Platform.AMD64, "COPY target/edgeai4j-demo.jar", "COPY target/demo-0.1.0.jar",
            "no COPY of target/edgeai4j-demo.jar (the jar `mvn package` writes)"),
        broken("shell form", Platform.AMD64, VALID.substring(VALID.indexOf("ENTRYPOINT")),
            "ENTRYPOINT java -XX:MaxRAMPercentage=70 -cp '/app/demo.jar:/app/lib/*' " + MAIN + " demo\n",
            "line 8: ENTRYPOINT in shell form; expected exec form ([\"java\", ...]), so that java is PID 1 and"
                + " receives SIGTERM"),
        broken("another jar path", Platform.AMD64, CLASS_PATH, "\"/app/app.jar:/app/lib/*\"",
            "line 8: ENTRYPOINT's -cp /app/app.jar:/app/lib/* does not name /app/demo.jar (where"
                + " target/edgeai4j-demo.jar is copied)"),
        broken("-jar", Platform.AMD64, "\"-cp\", " + CLASS_PATH + ", " + MAIN_AND_ID,
            "\"-jar\", \"/app/demo.jar\", \"demo\"]",
            "line 8: ENTRYPOINT runs -jar /app/demo.jar, but the jar names no Class-Path (a module depending on it in a"
                + " reactor build would inherit target/lib); " + EXPECTED_COMMAND),
        broken("no -cp", Platform.AMD64, "\"-cp\", " + CLASS_PATH + ", ", "",
            "line 8: ENTRYPOINT gives no -cp; " + EXPECTED_COMMAND),
        broken("a -cp without the lib wildcard", Platform.AMD64, CLASS_PATH, "\"/app/demo.jar\"",
            "line 8: ENTRYPOINT's -cp /app/demo.jar lacks /app/lib/* (every jar of target/lib, copied to /app/lib; the"
                + " JVM expands only a bare *)"),
        broken("a lib wildcard the JVM does not expand", Platform.AMD64, "/app/lib/*", "/app/lib/*.jar",
            "line 8: ENTRYPOINT's -cp /app/demo.jar:/app/lib/*.jar lacks /app/lib/* (every jar of target/lib, copied"
                + " to /app/lib; the JVM expands only a bare *)"),
        broken("the lib folder, not its jars", Platform.AMD64, "/app/lib/*", "/app/lib",
            "line 8: ENTRYPOINT's -cp /app/demo.jar:/app/lib lacks /app/lib/* (every jar of target/lib, copied to"
                + " /app/lib; the JVM expands only a bare *)"),
        broken("another main class", Platform.AMD64, MAIN, "io.edgeai4j.inference.Main",
            "line 8: ENTRYPOINT runs the class io.edgeai4j.inference.Main, expected " + MAIN),
        broken("no main class", Platform.AMD64, MAIN_AND_ID, "\"demo\"]",
            "line 8: ENTRYPOINT runs the class demo, expected " + MAIN,
            "line 8: ENTRYPOINT passes [] to " + MAIN + ", expected the factory id [demo] alone"),
        broken("nothing after the class path", Platform.AMD64, ", " + MAIN_AND_ID, "]",
            "line 8: ENTRYPOINT names no main class; " + EXPECTED_COMMAND),
        broken("another factory id", Platform.AMD64, MAIN_AND_ID, "\"" + MAIN + "\", \"Demo\"]",
            "line 8: ENTRYPOINT passes [Demo] to " + MAIN + ", expected the factory id [demo] alone"),
        broken("a CMD", Platform.AMD64, "EXPOSE 9600", "EXPOSE 9600\nCMD [\"demo\"]",
            "line 7: CMD adds arguments after the entry point's; it takes the factory id alone"),
        broken("no direct memory bound", Platform.AMD64, "\"-XX:MaxDirectMemorySize=64m\", ", "",
            "line 8: ENTRYPOINT lacks -XX:MaxDirectMemorySize=<value> (direct buffers, where tensors live, are"
                + " otherwise bounded only by the heap size)"),
        broken("a fixed heap", Platform.AMD64, "\"-XX:MaxRAMPercentage=50\"", "\"-Xmx512m\"",
            "line 8: ENTRYPOINT lacks -XX:MaxRAMPercentage=<value> (a heap within the container's memory limit)",
            "line 8: ENTRYPOINT sets -Xmx512m: a fixed heap ignores the container's memory limit; use"
                + " -XX:MaxRAMPercentage"),
        broken("heap and direct buffers over 80 % of the limit", Platform.AMD64,
            "\"-XX:MaxRAMPercentage=50\", \"-XX:MaxDirectMemorySize=64m\"",
            "\"-XX:MaxRAMPercentage=70\", \"-XX:MaxDirectMemorySize=128m\"",
            "line 8: ENTRYPOINT: heap 70 % of 512 MiB (358 MiB) + direct buffers 128 MiB = 486 MiB, over 80 % of the"
                + " container's 512 MiB limit (409 MiB)" + OVER_BUDGET),
        broken("direct buffers in gigabytes", Platform.AMD64, "MaxDirectMemorySize=64m", "MaxDirectMemorySize=1G",
            "line 8: ENTRYPOINT: heap 50 % of 512 MiB (256 MiB) + direct buffers 1024 MiB = 1280 MiB, over 80 % of"
                + " the container's 512 MiB limit (409 MiB)" + OVER_BUDGET),
        broken("the last flag counts", Platform.AMD64, "\"-XX:+ExitOnOutOfMemoryError\",",
            "\"-XX:MaxRAMPercentage=75\", \"-XX:+ExitOnOutOfMemoryError\",",
            "line 8: ENTRYPOINT: heap 75 % of 512 MiB (384 MiB) + direct buffers 64 MiB = 448 MiB, over 80 % of the"
                + " container's 512 MiB limit (409 MiB)" + OVER_BUDGET),
        broken("a direct memory size that is no size", Platform.AMD64, "MaxDirectMemorySize=64m",
            "MaxDirectMemorySize=64mb",
            "line 8: ENTRYPOINT sets -XX:MaxDirectMemorySize=64mb, expected a size such as 64m"),
        broken("no exit on OOM", Platform.AMD64, ENTRY, "\\\n  \"-cp\"",
            "line 8: ENTRYPOINT lacks -XX:+ExitOnOutOfMemoryError (so that edgeAgent restarts a module out of"
                + " memory)"),
        broken("JDWP in a release image", Platform.AMD64, ENTRY, JDWP_ENTRY,
            "JDWP in a non-debug image; only Dockerfile.amd64.debug opens a debugger port"),
        broken("a debug image without JDWP", Platform.AMD64_DEBUG, "EXPOSE 9600", "EXPOSE 9600 5005",
            "line 8: debug image without " + DockerfileRules.JDWP + " in its ENTRYPOINT"),
        broken("a debug image without its port", Platform.AMD64_DEBUG, ENTRY, JDWP_ENTRY,
            "debug image does not EXPOSE 5005 (JDWP)"),
        broken("the debug port in a release image", Platform.AMD64, "EXPOSE 9600", "EXPOSE 9600 5005",
            "EXPOSE 5005 (JDWP) in a non-debug image"),
        broken("no metrics port", Platform.AMD64, "EXPOSE 9600", "EXPOSE 8080",
            "no EXPOSE 9600 (metrics and health); EXPOSE lists [8080]"),
        broken("no HEALTHCHECK", Platform.AMD64, VALID.substring(VALID.indexOf("HEALTHCHECK"),
                VALID.indexOf("ENTRYPOINT")), "",
            "no HEALTHCHECK; expected one probing [/health/live, /health/ready] on port 9600"),
        broken("a path the server does not serve", Platform.AMD64, "/health/live", "/healthz",
            "line 7: HEALTHCHECK probes /healthz, which the metrics server does not serve (it serves [/health/live,"
                + " /health/ready])"),
        broken("another port", Platform.AMD64, "${EDGEAI4J_METRICS_PORT:-9600}", "8080",
            "line 7: HEALTHCHECK probes port 8080, expected the metrics port 9600 (or ${EDGEAI4J_METRICS_PORT:-9600})"),
        broken("curl not installed", Platform.AMD64, " curl\n", " jq\n",
            "line 7: HEALTHCHECK runs curl, which no RUN installs (the tools a base image happens to carry are not"
                + " part of its contract)"),
        broken("a Jetson GPU image on Temurin", Platform.ARM64V8, true, "COPY target/lib/", "COPY target/lib-jetson/",
            "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy: expected an NVIDIA L4T base with TensorRT for JetPack"
                + " 6 (nvcr.io/nvidia/l4t-tensorrt:r10.3.<x>-runtime or nvcr.io/nvidia/l4t-jetpack:r36.<x>)",
            "no Java 17 runtime: the L4T base has none; install openjdk-17-jre-headless"),
        broken("a JetPack 5 base", Platform.ARM64V8, true, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r8.5.2-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r8.5.2-runtime: expected an NVIDIA L4T base with TensorRT for"
                + " JetPack 6 (nvcr.io/nvidia/l4t-tensorrt:r10.3.<x>-runtime or nvcr.io/nvidia/l4t-jetpack:r36.<x>)",
            "no Java 17 runtime: the L4T base has none; install openjdk-17-jre-headless",
            "line 3: copies target/lib, expected target/lib-jetson (target/lib with the TensorRT backend and the"
                + " JavaCPP presets for linux-arm64, written by mvn package)"),
        broken("a CPU module on L4T", Platform.ARM64V8, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("an amd64 image with no platform", Platform.AMD64, "FROM --platform=linux/amd64 ", "FROM ",
            "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy names no platform; a multi-platform base then follows"
                + " the build host (an x86 CI builds amd64); expected FROM --platform=linux/amd64 in Dockerfile.amd64"),
        broken("an arm64v8 image with no platform", Platform.ARM64V8, "FROM --platform=linux/arm64 ", "FROM ",
            "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy names no platform; a multi-platform base then follows"
                + " the build host (an x86 CI builds amd64); expected FROM --platform=linux/arm64 in"
                + " Dockerfile.arm64v8"),
        broken("an arm64v8 image pinned to amd64", Platform.ARM64V8, "linux/arm64", "linux/amd64",
            "line 1: FROM --platform=linux/amd64 in Dockerfile.arm64v8, expected --platform=linux/arm64"),
        broken("the build host's platform", Platform.ARM64V8, "linux/arm64", "$BUILDPLATFORM",
            "line 1: FROM --platform=$BUILDPLATFORM: the platform is a build argument; pin --platform=linux/arm64 in"
                + " Dockerfile.arm64v8"),
        broken("a build stage with no platform", Platform.AMD64,
            "FROM --platform=linux/amd64 eclipse-temurin:17.0.15_6-jre-jammy",
            "FROM eclipse-temurin:17.0.15_6-jre-jammy AS unpack\nFROM --platform=linux/amd64"
                + " eclipse-temurin:17.0.15_6-jre-jammy",
            "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy names no platform; a multi-platform base then follows"
                + " the build host (an x86 CI builds amd64); expected FROM --platform=linux/amd64 in Dockerfile.amd64"));
  }

  static Stream<Arguments> brokenGpuDockerfiles() {
    return Stream.of(
        broken("the Temurin base", Platform.AMD64_GPU, true, "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04",
            "eclipse-temurin:17.0.15_6-jre-jammy", "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy" + CUDA_EXPECTED),
        broken("CUDA 11 with cuDNN 8", Platform.AMD64_GPU, true, "12.8.1-cudnn-runtime", "11.8.0-cudnn8-runtime",
            "line 1: FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04" + CUDA_EXPECTED),
        broken("the devel image", Platform.AMD64_GPU, true, "cudnn-runtime", "cudnn-devel",
            "line 1: FROM nvidia/cuda:12.8.1-cudnn-devel-ubuntu22.04" + CUDA_EXPECTED),
        broken("no cuDNN", Platform.AMD64_GPU, true, "12.8.1-cudnn-runtime", "12.8.1-runtime",
            "line 1: FROM nvidia/cuda:12.8.1-runtime-ubuntu22.04" + CUDA_EXPECTED),
        broken("an unpinned CUDA base", Platform.AMD64_GPU, true, "12.8.1-cudnn-runtime-ubuntu22.04", "latest",
            "line 1: FROM nvidia/cuda:latest: 'latest' is not a pinned tag",
            "line 1: FROM nvidia/cuda:latest" + CUDA_EXPECTED),
        broken("the L4T base", Platform.AMD64_GPU, true, "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04",
            "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime" + CUDA_EXPECTED),
        broken("no JRE", Platform.AMD64_GPU, true, " openjdk-17-jre-headless curl\n", " curl\n",
            "no Java 17 runtime: the CUDA base has none; install openjdk-17-jre-headless"),
        broken("the CPU libraries", Platform.AMD64_GPU, true, "COPY target/lib-gpu/", "COPY target/lib/",
            "line 3: copies target/lib, expected target/lib-gpu (target/lib with ONNX Runtime's GPU build, written"
                + " by mvn package -Pgpu-image)"),
        broken("no libraries", Platform.AMD64_GPU, true, "COPY target/lib-gpu/ /app/lib/\n", "",
            "no COPY of target/lib-gpu (the runtime dependencies, which the entry point's -cp loads)"),
        broken("the GPU libraries where the -cp does not look", Platform.AMD64_GPU, true,
            "COPY target/lib-gpu/ /app/lib/", "COPY target/lib-gpu/ /opt/lib/",
            "line 8: ENTRYPOINT's -cp /app/demo.jar:/app/lib/* lacks /opt/lib/* (every jar of target/lib-gpu, copied"
                + " to /opt/lib; the JVM expands only a bare *)"),
        broken("-jar", Platform.AMD64_GPU, true, "\"-cp\", " + CLASS_PATH + ", " + MAIN_AND_ID,
            "\"-jar\", \"/app/demo.jar\", \"demo\"]",
            "line 8: ENTRYPOINT runs -jar /app/demo.jar, but the jar names no Class-Path (a module depending on it in a"
                + " reactor build would inherit target/lib); " + EXPECTED_COMMAND),
        broken("root", Platform.AMD64_GPU, true, "USER 10001:10001", "USER 0",
            "line 5: USER 0: the module would run as root"),
        broken("no HEALTHCHECK", Platform.AMD64_GPU, true, VALID.substring(VALID.indexOf("HEALTHCHECK"),
                VALID.indexOf("ENTRYPOINT")), "",
            "no HEALTHCHECK; expected one probing [/health/live, /health/ready] on port 9600"),
        broken("another factory id", Platform.AMD64_GPU, true, MAIN_AND_ID, "\"" + MAIN + "\", \"Demo\"]",
            "line 8: ENTRYPOINT passes [Demo] to " + MAIN + ", expected the factory id [demo] alone"),
        broken("JDWP", Platform.AMD64_GPU, true, ENTRY, JDWP_ENTRY,
            "JDWP in a non-debug image; only Dockerfile.amd64.debug opens a debugger port"),
        broken("over the memory budget", Platform.AMD64_GPU, true, "MaxRAMPercentage=50", "MaxRAMPercentage=70",
            "line 8: ENTRYPOINT: heap 70 % of 512 MiB (358 MiB) + direct buffers 64 MiB = 422 MiB, over 80 % of the"
                + " container's 512 MiB limit (409 MiB)" + OVER_BUDGET),
        broken("no platform", Platform.AMD64_GPU, true, "FROM --platform=linux/amd64 ", "FROM ",
            "line 1: FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04 names no platform; a multi-platform base then"
                + " follows the build host (an x86 CI builds amd64); expected FROM --platform=linux/amd64 in"
                + " Dockerfile.amd64.gpu"));
  }

  @Test
  void theValidGpuDockerfilePasses() {
    assertThat(DockerfileRules.check(Dockerfile.parse(VALID_GPU), expectations(Platform.AMD64_GPU, true))).isEmpty();
  }

  @Test
  void aBudgetJustWithinEightyPercentPasses() {
    // 70 % of 512 MiB = 358.4 MiB, + 51 MiB = 409.4 MiB <= 409.6 MiB; 52 MiB would be 410.4 MiB.
    String within = VALID.replace("MaxRAMPercentage=50", "MaxRAMPercentage=70")
        .replace("MaxDirectMemorySize=64m", "MaxDirectMemorySize=51m");
    String over = within.replace("MaxDirectMemorySize=51m", "MaxDirectMemorySize=52m");

    assertThat(DockerfileRules.check(Dockerfile.parse(within), expectations(Platform.AMD64, false))).isEmpty();
    assertThat(DockerfileRules.check(Dockerfile.parse(over), expectations(Platform.AMD64, false))).hasSize(1);
  }

  @Test
  void theBudgetScalesWithTheLimit() {
    // The inference images: 35 % of 2048 MiB = 716.8 MiB + 512 MiB = 1228.8 MiB <= 1638.4 MiB; not within 1 GiB.
    String inference = VALID.replace("MaxRAMPercentage=50", "MaxRAMPercentage=35")
        .replace("MaxDirectMemorySize=64m", "MaxDirectMemorySize=512m");

    assertThat(DockerfileRules.check(Dockerfile.parse(inference), expectations(Platform.AMD64, false, 2048)))
        .isEmpty();
    assertThat(DockerfileRules.check(Dockerfile.parse(inference), expectations(Platform.AMD64, false, 1024)))
        .containsExactly("line 8: ENTRYPOINT: heap 35 % of 1024 MiB (358 MiB) + direct buffers 512 MiB = 870 MiB,"
            + " over 80 % of the container's 1024 MiB limit (819 MiB)" + OVER_BUDGET);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenGpuDockerfiles")
  void reportsEachProblemOfTheGpuImage(String name, Platform platform, boolean gpu, String find, String replace,
      List<String> expected) {
    assertThat(VALID_GPU).contains(find);
    String text = VALID_GPU.replace(find, replace);

    assertThat(DockerfileRules.check(Dockerfile.parse(text), expectations(platform, gpu)))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void theValidDockerfilePasses() {
    assertThat(DockerfileRules.check(Dockerfile.parse(VALID), expectations(Platform.AMD64, false))).isEmpty();
  }

  @Test
  void theLibrariesMayLieWhereverTheClassPathLooks() {
    String elsewhere = VALID.replace("COPY target/lib/ /app/lib/", "COPY target/lib/ /opt/edgeai4j/lib/")
        .replace(CLASS_PATH, "\"/opt/edgeai4j/lib/*:/app/demo.jar\"");
    String longOption = VALID.replace("\"-cp\"", "\"--class-path\"");

    assertThat(DockerfileRules.check(Dockerfile.parse(elsewhere), expectations(Platform.AMD64, false))).isEmpty();
    assertThat(DockerfileRules.check(Dockerfile.parse(longOption), expectations(Platform.AMD64, false))).isEmpty();
  }

  @Test
  void aJetsonGpuImageOnL4tWithAJrePasses() {
    String jetson = VALID.replace("eclipse-temurin:17.0.15_6-jre-jammy", "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime")
        .replace("linux/amd64", "linux/arm64")
        .replace(" curl\n", " openjdk-17-jre-headless curl\n")
        .replace("COPY target/lib/", "COPY target/lib-jetson/");
    assertThat(DockerfileRules.check(Dockerfile.parse(jetson), expectations(Platform.ARM64V8, true))).isEmpty();
  }

  @Test
  void aJetsonGpuImageCopyingTheCpuLibrariesLacksTheTensorRtBackend() {
    String jetson = VALID.replace("eclipse-temurin:17.0.15_6-jre-jammy", "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime")
        .replace("linux/amd64", "linux/arm64")
        .replace(" curl\n", " openjdk-17-jre-headless curl\n");
    assertThat(DockerfileRules.check(Dockerfile.parse(jetson), expectations(Platform.ARM64V8, true)))
        .containsExactly("line 3: copies target/lib, expected target/lib-jetson (target/lib with the TensorRT backend"
            + " and the JavaCPP presets for linux-arm64, written by mvn package)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenDockerfiles")
  void reportsEachProblem(String name, Platform platform, boolean gpu, String find, String replace,
      List<String> expected) {
    String valid = VALID.replace("--platform=linux/amd64", "--platform=" + platform.dockerPlatform());
    assertThat(valid).contains(find);
    String text = valid.replace(find, replace);

    assertThat(DockerfileRules.check(Dockerfile.parse(text), expectations(platform, gpu)))
        .containsExactlyElementsOf(expected);
  }

  private static Arguments broken(String name, Platform platform, String find, String replace, String... problems) {
    return broken(name, platform, false, find, replace, problems);
  }

  private static Arguments broken(String name, Platform platform, boolean gpu, String find, String replace,
      String... problems) {
    return Arguments.of(name, platform, gpu, find, replace, List.of(problems));
  }

  private static DockerfileRules.Expectations expectations(Platform platform, boolean gpu) {
    return expectations(platform, gpu, 512);
  }

  private static DockerfileRules.Expectations expectations(Platform platform, boolean gpu, long memoryLimitMib) {
    return new DockerfileRules.Expectations(platform, gpu, "target/edgeai4j-demo.jar", MAIN, "demo", 9600,
        List.of("/health/live", "/health/ready"), memoryLimitMib);
  }
}
