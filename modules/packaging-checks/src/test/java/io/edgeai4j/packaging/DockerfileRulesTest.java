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
      FROM eclipse-temurin:17.0.15_6-jre-jammy
      RUN apt-get update && apt-get install -y --no-install-recommends curl
      COPY target/lib/ /app/lib/
      COPY target/edgeai4j-demo.jar /app/demo.jar
      USER 10001:10001
      EXPOSE 9600
      HEALTHCHECK --interval=30s CMD curl -fsS http://127.0.0.1:${EDGEAI4J_METRICS_PORT:-9600}/health/live || exit 1
      ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:MaxDirectMemorySize=128m", \\
        "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/demo.jar", "demo"]
      """;
  private static final String ENTRY = "\"-XX:+ExitOnOutOfMemoryError\", \"-jar\"";
  private static final String JDWP_ENTRY = "\"-XX:+ExitOnOutOfMemoryError\", \"" + DockerfileRules.JDWP
      + "\", \"-jar\"";

  static Stream<Arguments> brokenDockerfiles() {
    return Stream.of(
        broken("latest tag", Platform.AMD64, "17.0.15_6-jre-jammy", "latest",
            "line 1: FROM eclipse-temurin:latest: 'latest' is not a pinned tag",
            "line 1: FROM eclipse-temurin:latest: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("no tag", Platform.AMD64, "FROM eclipse-temurin:17.0.15_6-jre-jammy", "FROM ubuntu",
            "line 1: FROM ubuntu has no tag; pin the base image by tag",
            "line 1: FROM ubuntu: expected the Eclipse Temurin 17 JRE (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("base from a build argument", Platform.AMD64, "FROM eclipse-temurin:17.0.15_6-jre-jammy",
            "ARG BASE=eclipse-temurin:17.0.15_6-jre-jammy\nFROM ${BASE}",
            "line 2: FROM ${BASE}: the base image is a build argument; pin it in the Dockerfile",
            "line 2: FROM ${BASE}: expected the Eclipse Temurin 17 JRE (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("a JDK 21 base", Platform.AMD64, "17.0.15_6-jre-jammy", "21.0.7_6-jre-jammy",
            "line 1: FROM eclipse-temurin:21.0.7_6-jre-jammy: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"),
        broken("an L4T base in an amd64 image", Platform.AMD64, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime: an NVIDIA base in a CPU image; only"
                + " Dockerfile.arm64v8 may use an L4T base, and CPU images carry no TensorRT or CUDA"),
        broken("no USER", Platform.AMD64, "USER 10001:10001\n", "",
            "no USER: the module would run as root"),
        broken("a user name", Platform.AMD64, "USER 10001:10001", "USER edgeai4j",
            "line 5: USER edgeai4j: expected a numeric uid (e.g. 10001), so that non-root checks and host volume"
                + " permissions can rely on it"),
        broken("root", Platform.AMD64, "USER 10001:10001", "USER 0",
            "line 5: USER 0: the module would run as root"),
        broken("no target/lib", Platform.AMD64, "COPY target/lib/ /app/lib/\n", "",
            "no COPY of target/lib (the runtime dependencies the jar's Class-Path names)"),
        broken("lib away from the jar", Platform.AMD64, "/app/lib/", "/opt/lib/",
            "line 3: target/lib is copied to /opt/lib, expected /app/lib beside the jar /app/demo.jar, where its"
                + " Class-Path looks"),
        broken("jar before lib", Platform.AMD64,
            "COPY target/lib/ /app/lib/\nCOPY target/edgeai4j-demo.jar /app/demo.jar",
            "COPY target/edgeai4j-demo.jar /app/demo.jar\nCOPY target/lib/ /app/lib/",
            "line 3: the jar is copied before target/lib; copy the dependencies first, so that their layer stays"
                + " cached when only the module changes"),
        broken("another jar", Platform.AMD64, "COPY target/edgeai4j-demo.jar", "COPY target/demo-0.1.0.jar",
            "no COPY of target/edgeai4j-demo.jar (the jar `mvn package` writes)"),
        broken("shell form", Platform.AMD64, VALID.substring(VALID.indexOf("ENTRYPOINT")),
            "ENTRYPOINT java -XX:MaxRAMPercentage=70 -jar /app/demo.jar demo\n",
            "line 8: ENTRYPOINT in shell form; expected exec form ([\"java\", ...]), so that java is PID 1 and"
                + " receives SIGTERM"),
        broken("another jar path", Platform.AMD64, "\"/app/demo.jar\", \"demo\"", "\"/app/app.jar\", \"demo\"",
            "line 8: ENTRYPOINT runs -jar /app/app.jar, expected /app/demo.jar (where target/edgeai4j-demo.jar is"
                + " copied)"),
        broken("another factory id", Platform.AMD64, "\"/app/demo.jar\", \"demo\"", "\"/app/demo.jar\", \"Demo\"",
            "line 8: ENTRYPOINT passes [Demo] to EdgeModuleMain, expected the factory id [demo] alone"),
        broken("a CMD", Platform.AMD64, "EXPOSE 9600", "EXPOSE 9600\nCMD [\"demo\"]",
            "line 7: CMD adds arguments after the entry point's; it takes the factory id alone"),
        broken("no direct memory bound", Platform.AMD64, "\"-XX:MaxDirectMemorySize=128m\", ", "",
            "line 8: ENTRYPOINT lacks -XX:MaxDirectMemorySize=<value> (direct buffers, where tensors live, are"
                + " otherwise bounded only by the heap size)"),
        broken("a fixed heap", Platform.AMD64, "\"-XX:MaxRAMPercentage=70\"", "\"-Xmx512m\"",
            "line 8: ENTRYPOINT lacks -XX:MaxRAMPercentage=<value> (a heap within the container's memory limit)",
            "line 8: ENTRYPOINT sets -Xmx512m: a fixed heap ignores the container's memory limit; use"
                + " -XX:MaxRAMPercentage"),
        broken("no exit on OOM", Platform.AMD64, ENTRY, "\"-jar\"",
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
        broken("a Jetson GPU image on Temurin", Platform.ARM64V8, true, "COPY target/lib", "COPY target/lib",
            "line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy: expected an NVIDIA L4T base with TensorRT for JetPack"
                + " 6 (nvcr.io/nvidia/l4t-tensorrt:r10.3.<x>-runtime or nvcr.io/nvidia/l4t-jetpack:r36.<x>)",
            "no Java 17 runtime: the L4T base has none; install openjdk-17-jre-headless"),
        broken("a JetPack 5 base", Platform.ARM64V8, true, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r8.5.2-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r8.5.2-runtime: expected an NVIDIA L4T base with TensorRT for"
                + " JetPack 6 (nvcr.io/nvidia/l4t-tensorrt:r10.3.<x>-runtime or nvcr.io/nvidia/l4t-jetpack:r36.<x>)",
            "no Java 17 runtime: the L4T base has none; install openjdk-17-jre-headless"),
        broken("a CPU module on L4T", Platform.ARM64V8, "eclipse-temurin:17.0.15_6-jre-jammy",
            "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime",
            "line 1: FROM nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime: expected the Eclipse Temurin 17 JRE"
                + " (eclipse-temurin:17.<update>-jre-<distribution>)"));
  }

  @Test
  void theValidDockerfilePasses() {
    assertThat(DockerfileRules.check(Dockerfile.parse(VALID), expectations(Platform.AMD64, false))).isEmpty();
  }

  @Test
  void aJetsonGpuImageOnL4tWithAJrePasses() {
    String jetson = VALID.replace("eclipse-temurin:17.0.15_6-jre-jammy", "nvcr.io/nvidia/l4t-tensorrt:r10.3.0-runtime")
        .replace(" curl\n", " openjdk-17-jre-headless curl\n");
    assertThat(DockerfileRules.check(Dockerfile.parse(jetson), expectations(Platform.ARM64V8, true))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenDockerfiles")
  void reportsEachProblem(String name, Platform platform, boolean gpu, String find, String replace,
      List<String> expected) {
    assertThat(VALID).contains(find);
    String text = VALID.replace(find, replace);

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
    return new DockerfileRules.Expectations(platform, gpu, "target/edgeai4j-demo.jar", "demo", 9600,
        List.of("/health/live", "/health/ready"));
  }
}
