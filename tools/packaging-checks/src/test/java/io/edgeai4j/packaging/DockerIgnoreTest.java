package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each module's .dockerignore sends the jar and target/lib, and nothing the images do not copy. */
class DockerIgnoreTest {
  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void sendsOnlyTheJarAndItsDependencies(DeployableModule module) {
    DockerIgnore ignore = DockerIgnore.parse(Repository.read(module.folder().resolve(".dockerignore")));
    String jar = "target/" + module.pom().jarFileName();

    assertThat(ignore.sends(jar)).as(jar).isTrue();
    assertThat(ignore.sends("target/lib/slf4j-api-2.0.17.jar")).isTrue();
    for (Platform platform : module.platforms()) {
      assertThat(ignore.sends(platform.dockerfile())).as(platform.dockerfile()).isTrue();
    }
    if (module.platforms().contains(Platform.AMD64_GPU)) {
      assertThat(ignore.sends("target/lib-gpu/onnxruntime_gpu-1.29.0.jar")).as("target/lib-gpu").isTrue();
      assertThat(ignore.sends("target/lib-jetson/tensorrt-10.6-1.5.11.jar")).as("target/lib-jetson").isTrue();
    }
    for (String excluded : new String[] {"pom.xml", "README.md", "module.json", "src/main/java/A.java",
        "target/classes/A.class", "target/surefire-reports/TEST-A.xml", "target/original-x.jar"}) {
      assertThat(ignore.sends(excluded)).as(excluded).isFalse();
    }
  }

  @Test
  void theLastMatchingPatternWinsAndCoversFolders() {
    DockerIgnore ignore = DockerIgnore.parse("# comment\n*\n!target/lib\ntarget/lib/*-sources.jar\n!/keep/\n");

    assertThat(ignore.sends("src/A.java")).isFalse();
    assertThat(ignore.sends("target/lib/a.jar")).isTrue();
    assertThat(ignore.sends("target/lib/a-sources.jar")).isFalse();
    assertThat(ignore.sends("keep/deep/file")).isTrue();
    assertThat(DockerIgnore.parse("").sends("anything")).isTrue();
  }
}
