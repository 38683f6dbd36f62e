package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every deployable module's three Dockerfiles follow {@link DockerfileRules}, with facts read from the sources. */
class DockerfilesTest {
  static Stream<Arguments> dockerfiles() {
    return Arrays.stream(DeployableModule.values())
        .flatMap(module -> Arrays.stream(Platform.values()).map(platform -> Arguments.of(module, platform)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dockerfiles")
  void followsTheRules(DeployableModule module, Platform platform) {
    Dockerfile file = Dockerfile.parse(Repository.read(module.dockerfile(platform)));
    DockerfileRules.Expectations expected = new DockerfileRules.Expectations(platform, module.gpu(),
        "target/" + module.pom().jarFileName(), module.factoryId(), FrameworkFacts.metricsPort(),
        FrameworkFacts.healthPaths());

    assertThat(DockerfileRules.check(file, expected)).as(module.relativeFolder() + "/" + platform.dockerfile())
        .isEmpty();
  }
}
