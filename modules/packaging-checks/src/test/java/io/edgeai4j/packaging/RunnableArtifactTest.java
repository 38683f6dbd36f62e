package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code mvn package} leaves for each image: target/&lt;finalName&gt;.jar runnable with {@code java -jar}, and
 * target/lib holding exactly its Class-Path: the Azure transport and one SLF4J provider, no TensorRT or CUDA jar.
 * The reactor builds the modules before this one (test dependencies); run alone, it needs them packaged first.
 * inference's target/lib-gpu (written by {@code mvn package -Pgpu-image}) is checked when it is there.
 */
class RunnableArtifactTest {
  private static final String SERVICES = "META-INF/services/io.edgeai4j.module.EdgeModuleFactory";
  /** The native library only ONNX Runtime's GPU build carries. */
  private static final String CUDA_PROVIDER = "ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theJarRunsEdgeModuleMainOnTargetLib(DeployableModule module) throws IOException {
    Path jar = built(module);
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(FrameworkFacts.mainClass());
      List<String> classPath = List.of(manifest.getMainAttributes().getValue("Class-Path").trim().split("\\s+"));
      List<String> libraries = libraries(module);
      assertThat(classPath).allMatch(entry -> entry.startsWith("lib/"));
      assertThat(classPath.stream().map(entry -> entry.substring("lib/".length())))
          .as("the jar's Class-Path and target/lib")
          .containsExactlyInAnyOrderElementsOf(libraries);
      ZipEntry services = file.getEntry(SERVICES);
      assertThat(services).as(SERVICES).isNotNull();
      String factories = new String(file.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(factories).as("the factories the jar lists").contains("Factory");
    }
    assertThat(libraries(module)).anyMatch(name -> name.startsWith("edgeai4j-framework-"));
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
  void libGpuIsTargetLibWithOnnxRuntimesGpuBuild() throws IOException {
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

    // The same file names, since the jar's Class-Path names them; only ONNX Runtime's jar differs.
    assertThat(gpuLibraries).as("target/lib-gpu").containsExactlyElementsOf(libraries(inference));
    for (String name : gpuLibraries) {
      if (name.matches("onnxruntime-\\d.*\\.jar")) {
        assertThat(hasEntry(libGpu.resolve(name), CUDA_PROVIDER)).as("target/lib-gpu/" + name + " is the GPU build")
            .isTrue();
      } else {
        assertThat(Files.mismatch(lib.resolve(name), libGpu.resolve(name))).as("target/lib-gpu/" + name).isEqualTo(-1);
      }
    }
    assertThat(gpuLibraries).anyMatch(name -> name.matches("onnxruntime-\\d.*\\.jar"));
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
