package io.edgeai4j.deployment;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A target a template is generated for: a manifest file name ({@code config/deployment.<name>.json}) and the
 * module image platform it runs ({@code image.tag.platforms} key of {@code module.json}).
 */
public enum Platform {
  /** x86-64, CPU only. */
  AMD64("amd64", "amd64"),
  /** x86-64 with an NVIDIA GPU through the NVIDIA container toolkit ({@code HostConfig.DeviceRequests}). */
  AMD64_GPU("amd64.gpu", "amd64"),
  /** NVIDIA Jetson (L4T, JetPack 6) with the {@code nvidia} container runtime. */
  ARM64V8("arm64v8", "arm64v8");

  private final String manifestName;
  private final String imagePlatform;

  Platform(String manifestName, String imagePlatform) {
    this.manifestName = manifestName;
    this.imagePlatform = imagePlatform;
  }

  /** The name in {@code config/deployment.<name>.json}, on the command line and in template overlays. */
  public String manifestName() {
    return manifestName;
  }

  /** The {@code module.json} platform whose image this target runs: {@code ${MODULES.x}} resolves to it. */
  public String imagePlatform() {
    return imagePlatform;
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
