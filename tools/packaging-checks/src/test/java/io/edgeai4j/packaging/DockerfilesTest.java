package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every deployable module's Dockerfiles (three, four for inference with its amd64 GPU image) follow
 * {@link DockerfileRules}, with facts read from the sources and the memory limit from the module table.
 */
class DockerfilesTest {
  static Stream<Arguments> dockerfiles() {
    return Arrays.stream(DeployableModule.values())
        .flatMap(module -> module.platforms().stream().map(platform -> Arguments.of(module, platform)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dockerfiles")
  void followsTheRules(DeployableModule module, Platform platform) {
    Dockerfile file = Dockerfile.parse(Repository.read(module.dockerfile(platform)));
    DockerfileRules.Expectations expected = new DockerfileRules.Expectations(platform, module.gpu(),
        "target/" + module.pom().jarFileName(), FrameworkFacts.mainClass(), module.factoryId(),
        FrameworkFacts.metricsPort(), FrameworkFacts.healthPaths(), module.memoryLimitMib());

    assertThat(DockerfileRules.check(file, expected)).as(module.relativeFolder() + "/" + platform.dockerfile())
        .isEmpty();
  }

  @Test
  void theGpuImageSaysHowToBuildTheLibrariesItCopies() {
    DeployableModule inference = DeployableModule.INFERENCE;
    String dockerfile = Repository.read(inference.dockerfile(Platform.AMD64_GPU));
    String pom = Repository.read(inference.folder().resolve("pom.xml"));

    assertThat(dockerfile).as("Dockerfile.amd64.gpu's header").contains("-Pgpu-image").contains("target/lib-gpu");
    assertThat(pom).as("inference's pom").contains("<id>gpu-image</id>")
        .contains("<outputDirectory>${project.build.directory}/lib-gpu</outputDirectory>")
        .contains("<artifactId>onnxruntime_gpu</artifactId>");
  }
}
