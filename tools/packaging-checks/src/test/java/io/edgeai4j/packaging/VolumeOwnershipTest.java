package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployments keep each module's state on named volumes, never on a host directory (which Docker creates owned
 * by root on a fresh device), and every image of the module creates each mount point owned by uid 10001, so that a
 * new volume takes that owner ({@link VolumeOwnership}).
 */
class VolumeOwnershipTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID = """
      FROM --platform=linux/amd64 eclipse-temurin:17.0.15_6-jre-jammy
      RUN groupadd --system --gid 10001 edgeai4j \\
       && mkdir -p /var/lib/edgeai4j/shared/models \\
       && chown -R 10001:10001 /var/lib/edgeai4j
      USER 10001:10001
      """;

  /** A named volume of a module's deployment: where it is mounted. */
  record Volume(DeployableModule module, String source, String target) {}

  static Stream<Arguments> volumesAndImages() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    for (DeployableModule module : DeployableModule.values()) {
      for (Volume volume : volumes(module)) {
        module.platforms().forEach(platform -> cases.add(Arguments.of(module, volume.source(), volume.target(),
            platform)));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {3}: {1} at {2}")
  @MethodSource("volumesAndImages")
  void everyImageCreatesItsVolumesMountPointOwnedByItsUid(DeployableModule module, String source, String target,
      Platform platform) {
    Dockerfile file = Dockerfile.parse(Repository.read(module.dockerfile(platform)));

    assertThat(VolumeOwnership.check(file, target, source, 10001)).as(module.dockerfile(platform).toString())
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = DeployableModule.class, names = {"SENSOR_INGESTION", "INFERENCE", "MODEL_UPDATE"})
  void theModulesThatKeepStateMountNamedVolumesAndNoHostDirectory(DeployableModule module) throws Exception {
    JsonNode hostConfig = createOptions(module).path("HostConfig");

    assertThat(volumes(module)).as(module + " named volumes").isNotEmpty();
    assertThat(hostConfig.path("Binds").isMissingNode()).as(module + " HostConfig.Binds").isTrue();
    hostConfig.path("Mounts").forEach(mount -> assertThat(mount.path("Type").asText()).isEqualTo("volume"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no mkdir of the mount point | mkdir -p /var/lib/edgeai4j/shared/models | mkdir -p /var/lib/edgeai4j \
      | no RUN mkdir creates /var/lib/edgeai4j/shared, where the deployment mounts the named volume edgeai4j-shared: \
      a new volume would be root's, and uid 10001 could not write it
      no chown | && chown -R 10001:10001 /var/lib/edgeai4j | '' \
      | no RUN chown 10001 covers /var/lib/edgeai4j/shared after it is created (chown -R 10001:10001 \
      /var/lib/edgeai4j/shared or a parent): a new named volume takes the owner of the image's directory
      a parent chowned without -R | chown -R 10001:10001 | chown 10001:10001 \
      | no RUN chown 10001 covers /var/lib/edgeai4j/shared after it is created (chown -R 10001:10001 \
      /var/lib/edgeai4j/shared or a parent): a new named volume takes the owner of the image's directory
      chowned to another uid | chown -R 10001:10001 | chown -R 1000:1000 \
      | no RUN chown 10001 covers /var/lib/edgeai4j/shared after it is created (chown -R 10001:10001 \
      /var/lib/edgeai4j/shared or a parent): a new named volume takes the owner of the image's directory
      a sibling chowned | chown -R 10001:10001 /var/lib/edgeai4j | chown -R 10001:10001 /var/lib/edgeai4j/shared/models \
      | no RUN chown 10001 covers /var/lib/edgeai4j/shared after it is created (chown -R 10001:10001 \
      /var/lib/edgeai4j/shared or a parent): a new named volume takes the owner of the image's directory
      """)
  void findsAMountPointTheImageDoesNotGiveTheUid(String name, String find, String replace, String expected) {
    assertThat(VALID).contains(find);
    Dockerfile broken = Dockerfile.parse(VALID.replace(find, replace));

    assertThat(VolumeOwnership.check(broken, "/var/lib/edgeai4j/shared", "edgeai4j-shared", 10001))
        .containsExactly(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      mkdir -p /var/lib/edgeai4j/shared/models \\\\n && chown -R 10001:10001 /var/lib/edgeai4j
      mkdir -p /var/lib/edgeai4j/shared && chown 10001:10001 /var/lib/edgeai4j/shared
      mkdir -p /var/lib/edgeai4j/shared ; chown -R 10001 /var/lib/edgeai4j/
      """)
  void acceptsTheWaysToCreateAndGiveIt(String run) {
    Dockerfile file = Dockerfile.parse("FROM x:1\nRUN " + run.replace("\\n", "\n") + "\n");

    assertThat(VolumeOwnership.check(file, "/var/lib/edgeai4j/shared", "edgeai4j-shared", 10001)).isEmpty();
  }

  private static JsonNode createOptions(DeployableModule module) throws Exception {
    JsonNode deployment = JSON.readTree(Repository.read(Repository.path(module.deployment())));
    JsonNode options = deployment.at("/modulesContent/$edgeAgent/properties.desired/modules/" + module.deployedAs()
        + "/settings/createOptions");
    return options.isTextual() ? JSON.readTree(options.asText()) : options;
  }

  private static List<Volume> volumes(DeployableModule module) throws Exception {
    List<Volume> volumes = new ArrayList<>();
    for (JsonNode mount : createOptions(module).path("HostConfig").path("Mounts")) {
      if (mount.path("Type").asText().equals("volume")) {
        volumes.add(new Volume(module, mount.path("Source").asText(), mount.path("Target").asText()));
      }
    }
    return volumes;
  }
}
