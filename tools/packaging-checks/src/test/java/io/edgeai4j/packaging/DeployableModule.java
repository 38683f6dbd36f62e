package io.edgeai4j.packaging;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The deployable modules (every folder under modules/, {@link ModulesFolderTest}) and what their images must hold
 * beyond the common rules: the table the packaging checks run over. The factory id, the jar name and the endpoints
 * are read from each module's own files; the memory limit is the one the module's deployment gives it
 * ({@link MemoryLimitsTest}): deployment-manifests/deployment.template.json, or local-pipeline.json for the examples.
 */
enum DeployableModule {
  SENSOR_INGESTION("modules/sensor-ingestion", false, 512, List.of("edgeai4j-ingestion-simulator",
      "edgeai4j-ingestion-opcua", "edgeai4j-ingestion-modbus", "edgeai4j-ingestion-mqtt")),
  INFERENCE("modules/inference", true, 2048, List.of("edgeai4j-inference-onnxruntime", "onnxruntime")),
  MODEL_UPDATE("modules/model-update", false, 512, List.of("edgeai4j-model-package")),
  SIMULATED_TEMPERATURE_SENSOR("modules/simulated-temperature-sensor", false, 256, List.of(),
      "deployment-manifests/local-pipeline.json", "sensor"),
  THRESHOLD_FILTER("modules/threshold-filter", false, 256, List.of(),
      "deployment-manifests/local-pipeline.json", "filter");

  private static final String TEMPLATE = "deployment-manifests/deployment.template.json";

  private final String folder;
  private final boolean gpu;
  private final long memoryLimitMib;
  private final List<String> requiredLibraries;
  private final String deployment;
  private final String deployedAs;

  /** A module of the deployment template, deployed under its factory id. */
  DeployableModule(String folder, boolean gpu, long memoryLimitMib, List<String> requiredLibraries) {
    this(folder, gpu, memoryLimitMib, requiredLibraries, TEMPLATE, null);
  }

  DeployableModule(String folder, boolean gpu, long memoryLimitMib, List<String> requiredLibraries,
      String deployment, String deployedAs) {
    this.folder = folder;
    this.gpu = gpu;
    this.memoryLimitMib = memoryLimitMib;
    this.requiredLibraries = requiredLibraries;
    this.deployment = deployment;
    this.deployedAs = deployedAs;
  }

  /** Returns the deployment (template or manifest) that gives the module its memory limit, from the root. */
  String deployment() {
    return deployment;
  }

  /** Returns the module's name in {@link #deployment()}. */
  String deployedAs() {
    return deployedAs == null ? factoryId() : deployedAs;
  }

  /** Returns the module's folder. */
  Path folder() {
    return Repository.path(folder);
  }

  /** Returns the folder relative to the repository root, e.g. {@code modules/inference}. */
  String relativeFolder() {
    return folder;
  }

  /** Returns whether the module runs GPU code, so its Jetson image needs an L4T base with TensorRT. */
  boolean gpu() {
    return gpu;
  }

  /**
   * Returns the platforms the module has an image for: all of them for a module that runs GPU code, the CPU ones
   * otherwise (no amd64.gpu image).
   */
  List<Platform> platforms() {
    return Arrays.stream(Platform.values()).filter(p -> gpu || !p.cuda()).toList();
  }

  /** Returns the container memory limit (HostConfig.Memory) the module's deployment gives it, in MiB. */
  long memoryLimitMib() {
    return memoryLimitMib;
  }

  /** Returns the artifact ids, besides the common ones, that must be in target/lib (the image's class path). */
  List<String> requiredLibraries() {
    return requiredLibraries;
  }

  /** Returns the id of the module's EdgeModuleFactory, read from its sources. */
  String factoryId() {
    return JavaSources.of(folder().resolve("src/main/java")).factoryId();
  }

  /** Returns the module's pom. */
  ModulePom pom() {
    return ModulePom.read(folder().resolve("pom.xml"));
  }

  /** Returns the Dockerfile of a platform. */
  Path dockerfile(Platform platform) {
    return folder().resolve(platform.dockerfile());
  }
}
