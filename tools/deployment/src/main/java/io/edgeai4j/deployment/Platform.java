package io.edgeai4j.deployment;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A target a template is generated for: a manifest file name ({@code config/deployment.<name>.json}) and the
 * module image platforms it runs ({@code image.tag.platforms} keys of {@code module.json}), the preferred first:
 * {@code amd64.gpu} runs a module's {@code amd64.gpu} image when its module.json declares one (e.g. inference with
 * CUDA and ONNX Runtime's GPU build), else its {@code amd64} image.
 */
public enum Platform {
  /** x86-64, CPU only. */
  AMD64("amd64", List.of("amd64")),
  /**
   * x86-64 with an NVIDIA GPU through the NVIDIA container toolkit ({@code HostConfig.DeviceRequests}): a module's
   * {@code amd64.gpu} image, else its {@code amd64} one.
   */
  AMD64_GPU("amd64.gpu", List.of("amd64.gpu", "amd64")),
  /** NVIDIA Jetson (L4T, JetPack 6) with the {@code nvidia} container runtime. */
  ARM64V8("arm64v8", List.of("arm64v8"));

  private final String manifestName;
  private final List<String> imagePlatforms;

  Platform(String manifestName, List<String> imagePlatforms) {
    this.manifestName = manifestName;
    this.imagePlatforms = imagePlatforms;
  }

  /** The name in {@code config/deployment.<name>.json}, on the command line and in template overlays. */
  public String manifestName() {
    return manifestName;
  }

  /** The {@code module.json} platforms whose image this target runs, the preferred first. */
  public List<String> imagePlatforms() {
    return imagePlatforms;
  }

  /**
   * The {@code module.json} platform whose image this target runs for a module: {@code ${MODULES.<folder>}}
   * resolves to it. The first of {@link #imagePlatforms()} the module declares; the last one (the plain
   * architecture) when it declares none of them, so that the error names what was looked for.
   */
  public String imagePlatformOf(ModuleDescriptor module) {
    return imagePlatforms.stream().filter(module.platforms()::containsKey).findFirst()
        .orElse(imagePlatforms.get(imagePlatforms.size() - 1));
  }

  /**
   * Finds a platform by its manifest name.
   *
   * @throws IllegalArgumentException naming the value and the known names.
   */
  public static Platform of(String manifestName) {
    for (Platform platform : values()) {
      if (platform.manifestName.equals(manifestName)) {
        return platform;
      }
    }
    throw new IllegalArgumentException("unknown platform '" + manifestName + "', expected one of " + names());
  }

  /** The manifest names of all platforms, e.g. {@code amd64, amd64.gpu, arm64v8}. */
  public static String names() {
    return Arrays.stream(values()).map(Platform::manifestName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return manifestName;
  }
}
