package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dev container parses as plain JSON, builds from its pinned Dockerfile, and provides what the README says it
 * does (a Java 17 + Maven development container), plus what issue 6 asks: the Azure CLI with the azure-iot
 * extension, Docker-in-Docker, the local runtime's ports forwarded and a build after creation.
 */
class DevContainerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode config = parse();
  private final Dockerfile dockerfile = Dockerfile.parse(Repository.read(Repository.path(".devcontainer/Dockerfile")));

  @Test
  void buildsFromItsPinnedDockerfile() {
    assertThat(config.path("build").path("dockerfile").asText()).isEqualTo("Dockerfile");
    assertThat(config.has("image")).as("an image next to the build").isFalse();
    List<Dockerfile.Instruction> froms = dockerfile.all("FROM");
    assertThat(froms).hasSize(1);
    String image = froms.get(0).arguments();
    assertThat(image).matches("mcr\\.microsoft\\.com/devcontainers/java:[\\w.]*-?17-[a-z]+");
  }

  @Test
  void providesWhatTheReadmeSays() {
    String line = Repository.read(Repository.path("README.md")).lines()
        .filter(l -> l.contains("`.devcontainer/`")).findFirst().orElseThrow();
    assertThat(line).contains("Java 17").contains("Maven").contains("Azure CLI").contains("`azure-iot`")
        .contains("Docker-in-Docker").contains(String.valueOf(FrameworkFacts.metricsPort()))
        .contains(String.valueOf(FrameworkFacts.localRuntimeAdminPort())).contains("post-create");
    assertThat(config.path("postCreateCommand").asText()).as("the post-create command the README promises")
        .contains("mvn");
    // Java 17: the image's variant (checked above). Maven: the Java feature installs it.
    JsonNode java = config.path("features").path("ghcr.io/devcontainers/features/java:1");
    assertThat(java.path("installMaven").asText()).isEqualTo("true");
    assertThat(java.path("version").asText()).as("the image's JDK 17 stays the only JDK").isEqualTo("none");
  }

  @Test
  void hasTheAzureCliWithTheIotExtension() {
    String runs = String.join("\n", dockerfile.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList());
    assertThat(runs).contains("azure-cli").contains("az extension add --name azure-iot");
    assertThat(dockerfile.all("ENV")).anyMatch(env -> env.arguments().startsWith("AZURE_EXTENSION_DIR="));
  }

  @Test
  void runsDockerInDocker() {
    assertThat(config.path("features").has("ghcr.io/devcontainers/features/docker-in-docker:2")).isTrue();
  }

  @Test
  void forwardsTheLocalRuntimePortsWithLabels() {
    List<Integer> ports = new ArrayList<>();
    config.path("forwardPorts").forEach(p -> ports.add(p.asInt()));
    int metrics = FrameworkFacts.metricsPort();
    int admin = FrameworkFacts.localRuntimeAdminPort();

    assertThat(ports).contains(metrics, admin);
    for (int port : List.of(metrics, admin)) {
      assertThat(config.path("portsAttributes").path(String.valueOf(port)).path("label").asText()).as("label of " + port)
          .isNotBlank();
    }
  }

  @Test
  void buildsTheProjectAfterCreation() {
    assertThat(config.path("postCreateCommand").asText()).isEqualTo("mvn -B -ntp -DskipTests install");
  }

  private static JsonNode parse() {
    try {
      return JSON.readTree(Repository.read(Repository.path(".devcontainer/devcontainer.json")));
    } catch (Exception e) {
      throw new AssertionError(".devcontainer/devcontainer.json is not plain JSON: " + e.getMessage(), e);
    }
  }
}
