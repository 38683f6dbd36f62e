package io.edgeai4j.packaging;

/** The image platforms of each deployable module: iotedgedev's platform keys and their Dockerfiles. */
enum Platform {
  AMD64("amd64", "Dockerfile.amd64", "linux/amd64"),
  AMD64_DEBUG("amd64.debug", "Dockerfile.amd64.debug", "linux/amd64"),
  ARM64V8("arm64v8", "Dockerfile.arm64v8", "linux/arm64"),
  /** amd64 with an NVIDIA GPU: the CUDA base and ONNX Runtime's GPU build; only modules that run GPU code have it. */
  AMD64_GPU("amd64.gpu", "Dockerfile.amd64.gpu", "linux/amd64");

  private final String key;
  private final String dockerfile;
  private final String dockerPlatform;

  Platform(String key, String dockerfile, String dockerPlatform) {
    this.key = key;
    this.dockerfile = dockerfile;
    this.dockerPlatform = dockerPlatform;
  }

  /** Returns Docker's name of the image's platform, e.g. {@code linux/arm64}, as {@code --platform} takes it. */
  String dockerPlatform() {
    return dockerPlatform;
  }

  /** Returns the key in module.json's image.tag.platforms, e.g. {@code amd64.debug}. */
  String key() {
    return key;
  }

  /** Returns the Dockerfile's name, e.g. {@code Dockerfile.amd64.debug}. */
  String dockerfile() {
    return dockerfile;
  }

  /** Returns whether the image is a debug image (JDWP). */
  boolean debug() {
    return this == AMD64_DEBUG;
  }

  /** Returns whether the image is the amd64 GPU image (CUDA base, target/lib-gpu). */
  boolean cuda() {
    return this == AMD64_GPU;
  }
}
