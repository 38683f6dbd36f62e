package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code mvn package} leaves for each image: target/&lt;finalName&gt;.jar with a Main-Class and no Class-Path,
 * and target/lib with its runtime dependencies (the Azure transport and one SLF4J provider, no TensorRT or CUDA
 * jar), which the image's {@code java -cp <jar>:lib/* EdgeModuleMain <id>} runs. The reactor builds the modules
 * before this one (test dependencies); run alone, it needs them packaged first. inference's target/lib-gpu (written
 * by {@code mvn package -Pgpu-image}) is checked when it is there.
 */
class RunnableArtifactTest {
  private static final String SERVICES = "META-INF/services/io.edgeai4j.module.EdgeModuleFactory";
  /** The native library only ONNX Runtime's GPU build carries. */
  private static final String CUDA_PROVIDER = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theJarNamesEdgeModuleMainAndNoClassPath(DeployableModule module) throws IOException {
    Path jar = built(module);
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(FrameworkFacts.mainClass());
      // In a reactor build, a module that depends on this one (the CLI depends on inference) gets this very jar on
      // its class path, and the JVM follows its Class-Path: target/lib (slf4j-simple, the Azure SDK) would leak into
      // that module's tests and runs. The images give the class path on the command line instead.
      assertThat(manifest.getMainAttributes().getValue("Class-Path"))
          .as(module.relativeFolder() + "/target/" + jar.getFileName() + " Class-Path (remove addClasspath from the"
              + " pom's maven-jar-plugin: reactor consumers of this jar would inherit target/lib)")
          .isNull();
      ZipEntry services = file.getEntry(SERVICES);
      assertThat(services).as(SERVICES).isNotNull();
      String factories = new String(file.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(factories).as("the factories the jar lists").contains("Factory");
    }
  }

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theImagesCommandLineLoadsTheModuleFactory(DeployableModule module) throws Exception {
    // java -cp <jar>:<lib>/* EdgeModuleMain nosuch, as the images run it: the JVM expands the wildcard, the service
    // loader instantiates every factory, and EdgeModuleMain lists them and exits with 64 (usage).
    Path jar = built(module);
    String classPath = jar + File.pathSeparator + module.folder().resolve("target/lib") + File.separator + "*";
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, FrameworkFacts.mainClass(), "nosuch")
        .redirectErrorStream(true)
        .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();

    assertThat(output).as("the output of java -cp " + classPath)
        .contains("No module 'nosuch' on the class path; modules found: " + module.factoryId() + " (")
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "ServiceConfigurationError");
    assertThat(process.exitValue()).as("exit code").isEqualTo(64);
  }

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void targetLibCarriesTheAzureTransportAndNoGpuJars(DeployableModule module) throws IOException {
    built(module);
    List<String> libraries = libraries(module);

    assertThat(libraries).anyMatch(name -> name.startsWith("edgeai4j-azure-transport-"))
        .anyMatch(name -> name.startsWith("iot-device-client-"));
    assertThat(libraries).as("TensorRT/CUDA jars (the CPU images carry none; Jetson's come from the L4T base)")
        .noneMatch(name -> name.toLowerCase().matches(".*(tensorrt|cuda|cudnn|onnxruntime[_-]gpu).*"));
    assertThat(libraries).as("SLF4J providers").filteredOn(name -> name.matches(
            "(slf4j-simple|slf4j-nop|slf4j-jdk14|slf4j-reload4j|logback-classic|log4j-slf4j2?-impl)-.*"))
        .singleElement().asString().startsWith("slf4j-simple-");
    assertThat(libraries).anyMatch(name -> name.startsWith("edgeai4j-module-api-"))
        .as("the module's own jar (the image copies it apart)")
        .noneMatch(name -> name.matches(module.pom().artifactId() + "-\\d.*\\.jar"));
    for (String required : module.requiredLibraries()) {
      assertThat(libraries).as(required).anyMatch(name -> name.matches(java.util.regex.Pattern.quote(required)
          + "-\\d.*\\.jar"));
    }
  }

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theImageOnlyDependenciesAreOptional(DeployableModule module) {
    // A module that depends on this one (the CLI depends on inference) must not inherit the Azure SDK or a second
    // SLF4J provider.
    ModulePom pom = module.pom();
    for (String imageOnly : List.of("edgeai4j-azure-transport", "slf4j-simple")) {
      ModulePom.Dependency dependency = pom.dependency(imageOnly);
      assertThat(dependency).as(imageOnly).isNotNull();
      assertThat(dependency.optional()).as(imageOnly + " optional").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theCpuImagesCarryOnnxRuntimesCpuBuild(DeployableModule module) throws IOException {
    built(module);
    for (String name : libraries(module)) {
      if (name.startsWith("onnxruntime")) {
        assertThat(hasEntry(module.folder().resolve("target/lib").resolve(name), CUDA_PROVIDER))
            .as("target/lib/" + name + " holds " + CUDA_PROVIDER + " (ONNX Runtime's GPU build)").isFalse();
      }
    }
  }

  @Test
  void libGpuIsTargetLibWithOnnxRuntimesGpuBuildInsteadOfItsCpuBuild() throws IOException {
    DeployableModule inference = DeployableModule.INFERENCE;
    built(inference);
    Path lib = inference.folder().resolve("target/lib");
    Path libGpu = inference.folder().resolve("target/lib-gpu");
    Assumptions.assumeTrue(Files.isDirectory(libGpu),
        "modules/inference/target/lib-gpu is written by mvn package -Pgpu-image; not built");
    List<String> gpuLibraries;
    try (Stream<Path> files = Files.list(libGpu)) {
      gpuLibraries = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    String cpuBuild = "onnxruntime-\\d.*\\.jar";
    String gpuBuild = "onnxruntime_gpu-\\d.*\\.jar";
    String stale = " (a target/lib-gpu left by an older build? delete it and run mvn package -Pgpu-image)";

    // The image's -cp loads every jar of /app/lib: ONNX Runtime's CPU build must not be there beside the GPU build.
    List<String> expected = new ArrayList<>(libraries(inference).stream()
        .filter(name -> !name.matches(cpuBuild)).toList());
    assertThat(gpuLibraries).as("target/lib-gpu" + stale).noneMatch(name -> name.matches(cpuBuild))
        .filteredOn(name -> name.matches(gpuBuild)).singleElement();
    String gpuJar = gpuLibraries.stream().filter(name -> name.matches(gpuBuild)).findFirst().orElseThrow();
    expected.add(gpuJar);
    assertThat(gpuLibraries).as("target/lib-gpu = target/lib with " + gpuJar + " for ONNX Runtime" + stale)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(hasEntry(libGpu.resolve(gpuJar), CUDA_PROVIDER)).as("target/lib-gpu/" + gpuJar + " is the GPU build")
        .isTrue();
    for (String name : gpuLibraries) {
      if (!name.equals(gpuJar)) {
        assertThat(Files.mismatch(lib.resolve(name), libGpu.resolve(name))).as("target/lib-gpu/" + name).isEqualTo(-1);
      }
    }
  }

  /**
   * The Jetson image's class path: target/lib plus the TensorRT backend, native-bindings, the JavaCPP presets with
   * their linux-arm64 JNI glue (never the x86-64 glue or the -redist jars: TensorRT and CUDA come from the L4T base),
   * and ONNX's protobuf classes the backend reads models with.
   */
  @Test
  void libJetsonIsTargetLibWithTheTensorRtBackendForLinuxArm64() throws IOException {
    DeployableModule inference = DeployableModule.INFERENCE;
    built(inference);
    Path lib = inference.folder().resolve("target/lib");
    Path libJetson = inference.folder().resolve("target/lib-jetson");
    assertThat(libJetson).as("modules/inference/target/lib-jetson (written by mvn package)").isDirectory();
    List<String> jetson;
    try (Stream<Path> files = Files.list(libJetson)) {
      jetson = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    List<String> cpu = libraries(inference);

    assertThat(jetson).containsAll(cpu);
    List<String> added = jetson.stream().filter(name -> !cpu.contains(name)).toList();
    assertThat(added).as("target/lib-jetson beyond target/lib").allMatch(name -> name.matches(
            "(edgeai4j-inference-tensorrt|edgeai4j-native-bindings|tribuo-util-onnx|protobuf-java)-\\d.*\\.jar"
                + "|(javacpp|tensorrt|cuda)-[\\d.-]+(-linux-arm64)?\\.jar"))
        .anyMatch(name -> name.startsWith("edgeai4j-inference-tensorrt-"))
        .anyMatch(name -> name.startsWith("tribuo-util-onnx-"))
        .anyMatch(name -> name.matches("tensorrt-[\\d.-]+-linux-arm64\\.jar"))
        .anyMatch(name -> name.matches("cuda-[\\d.-]+-linux-arm64\\.jar"))
        .anyMatch(name -> name.matches("javacpp-[\\d.-]+-linux-arm64\\.jar"))
        .noneMatch(name -> name.contains("x86_64") || name.contains("redist"));
    for (String preset : List.of("javacpp", "tensorrt", "cuda")) {
      assertThat(added).as("one version of " + preset + " in target/lib-jetson (one left by a build with another"
              + " profile, e.g. -Pjetpack7? delete target/lib-jetson and rebuild)")
          .filteredOn(name -> name.matches(preset + "-[\\d.-]+\\.jar")).hasSize(1);
    }
    String glue = added.stream().filter(name -> name.matches("tensorrt-[\\d.-]+-linux-arm64\\.jar")).findFirst()
        .orElseThrow();
    assertThat(hasEntry(libJetson.resolve(glue), "org/bytedeco/tensorrt/linux-arm64/libjninvinfer.so"))
        .as(glue + " holds the JNI glue").isTrue();
    String backend = added.stream().filter(name -> name.startsWith("edgeai4j-inference-tensorrt-")).findFirst()
        .orElseThrow();
    assertThat(hasEntry(libJetson.resolve(backend),
        "META-INF/services/io.edgeai4j.inference.backend.InferenceBackendProvider")).as(backend).isTrue();
    for (String name : cpu) {
      assertThat(Files.mismatch(lib.resolve(name), libJetson.resolve(name))).as("target/lib-jetson/" + name)
          .isEqualTo(-1);
    }
  }

  private static boolean hasEntry(Path jar, String entry) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry(entry) != null;
    }
  }

  private static Path built(DeployableModule module) {
    Path jar = module.folder().resolve("target").resolve(module.pom().jarFileName());
    if (!Files.isRegularFile(jar) || !Files.isDirectory(module.folder().resolve("target/lib"))) {
      fail(module.relativeFolder() + "/target/" + module.pom().jarFileName() + " or target/lib is missing: build it"
          + " first (mvn -o -q -B install -pl " + module.relativeFolder() + " -DskipTests); the reactor builds it"
          + " before this module");
    }
    return jar;
  }

  private static List<String> libraries(DeployableModule module) throws IOException {
    try (Stream<Path> files = Files.list(module.folder().resolve("target/lib"))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
