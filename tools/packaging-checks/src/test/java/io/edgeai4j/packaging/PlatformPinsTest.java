package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PlatformPins} on every deployable module, and on a module folder written in a temporary directory and broken
 * one way at a time (a file, the text replaced in it, the one problem expected).
 */
class PlatformPinsTest {
  private static final String MODULE_JSON = """
      {
        "image": {
          "repository": "${CONTAINER_REGISTRY_SERVER}/edgeai4j/demo",
          "tag": {"version": "0.1.0", "platforms": {"amd64": "./Dockerfile.amd64", "arm64v8": "./Dockerfile.arm64v8"}},
          "buildOptions": [],
          "contextPath": "./"
        },
        "edgeai4j": {"module": "demo", \
      "buildOptions": {"amd64": ["--platform=linux/amd64"], "arm64v8": ["--platform=linux/arm64"]}}
      }
      """;
  private static final String AMD64 = "FROM --platform=linux/amd64 eclipse-temurin:17.0.15_6-jre-jammy\nUSER 10001\n";
  private static final String ARM64 = "FROM --platform=linux/arm64 eclipse-temurin:17.0.15_6-jre-jammy\nUSER 10001\n";

  @TempDir
  Path module;

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void everyDeployableModulePinsEachPlatform(DeployableModule deployable) {
    assertThat(PlatformPins.check(deployable.folder())).as(deployable.relativeFolder()).isEmpty();
  }

  @Test
  void aPinnedModulePasses() throws Exception {
    write(MODULE_JSON, AMD64, ARM64);

    assertThat(PlatformPins.check(module)).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      Dockerfile.arm64v8 | FROM --platform=linux/arm64 | FROM \
      | Dockerfile.arm64v8: line 1: FROM eclipse-temurin:17.0.15_6-jre-jammy names no platform; a multi-platform base \
      then follows the build host (an x86 CI builds amd64); expected FROM --platform=linux/arm64 in Dockerfile.arm64v8
      Dockerfile.arm64v8 | linux/arm64 | linux/amd64 \
      | Dockerfile.arm64v8: line 1: FROM --platform=linux/amd64 in Dockerfile.arm64v8, expected --platform=linux/arm64
      Dockerfile.amd64 | --platform=linux/amd64 | --platform=$TARGETPLATFORM \
      | Dockerfile.amd64: line 1: FROM --platform=$TARGETPLATFORM: the platform is a build argument; pin \
      --platform=linux/amd64 in Dockerfile.amd64
      module.json | "arm64v8": ["--platform=linux/arm64"] | "arm64v8": ["--platform=linux/amd64"] \
      | module.json: edgeai4j.buildOptions.arm64v8 has --platform=linux/amd64, expected --platform=linux/arm64
      module.json | "arm64v8": ["--platform=linux/arm64"] | "arm64v8": ["--pull"] \
      | module.json: edgeai4j.buildOptions.arm64v8 [--pull] has no --platform; expected --platform=linux/arm64
      module.json | , "arm64v8": ["--platform=linux/arm64"] | '' \
      | module.json: edgeai4j.buildOptions.arm64v8 is missing; expected ["--platform=linux/arm64"]
      module.json | "amd64": ["--platform=linux/amd64"], | "amd64": ["--platform=linux/amd64"], "arm32v7": [], \
      | module.json: edgeai4j.buildOptions.arm32v7 names no platform of image.tag.platforms
      module.json | "buildOptions": [] | "buildOptions": ["--platform=linux/amd64"] \
      | module.json: image.buildOptions holds --platform=linux/amd64, but iotedgedev passes image.buildOptions to the \
      build of every platform, so all images would be built for one; give each platform its --platform in \
      edgeai4j.buildOptions
      module.json | , "buildOptions": {"amd64": ["--platform=linux/amd64"], "arm64v8": ["--platform=linux/arm64"]} | '' \
      | module.json: no edgeai4j.buildOptions object; expected the options of each platform, e.g. {"amd64": \
      ["--platform=linux/amd64"], "arm64v8": ["--platform=linux/arm64"]}
      module.json | "arm64v8": "./Dockerfile.arm64v8"} | "arm64v8": "./Dockerfile.arm64v8", "arm32v7": "./Dockerfile.arm32v7"} \
      | module.json: image.tag.platforms.arm32v7 is no platform these checks know; expected one of [amd64, amd64.debug, \
      arm64v8, amd64.gpu]
      """)
  void findsEachUnpinnedPlatform(String file, String find, String replace, String expected) throws Exception {
    write(MODULE_JSON, AMD64, ARM64);
    Path broken = module.resolve(file);
    String text = Files.readString(broken);
    assertThat(text).contains(find);
    Files.writeString(broken, text.replace(find, replace));

    assertThat(PlatformPins.check(module)).containsExactly(expected);
  }

  @Test
  void aMissingDockerfileIsNamed() throws Exception {
    write(MODULE_JSON, AMD64, ARM64);
    Files.delete(module.resolve("Dockerfile.arm64v8"));

    assertThat(PlatformPins.check(module))
        .containsExactly("Dockerfile.arm64v8: missing (image.tag.platforms.arm64v8 names it)");
  }

  private void write(String moduleJson, String amd64, String arm64) throws Exception {
    Files.writeString(module.resolve("module.json"), moduleJson);
    Files.writeString(module.resolve("Dockerfile.amd64"), amd64);
    Files.writeString(module.resolve("Dockerfile.arm64v8"), arm64);
  }
}
