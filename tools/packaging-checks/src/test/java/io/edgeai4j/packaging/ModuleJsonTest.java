package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each module.json is in iotedgedev's format, names a Dockerfile for every platform, and declares exactly the
 * inputs, outputs and methods the module's code registers (so the manifest validator's route checks cannot drift).
 */
class ModuleJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void isInIotedgedevsFormat(DeployableModule module) throws Exception {
    JsonNode json = JSON.readTree(Repository.read(module.folder().resolve("module.json")));
    String id = module.factoryId();

    assertThat(json.path("$schema-version").asText()).isEqualTo("0.0.1");
    assertThat(json.path("description").asText()).isNotBlank();
    assertThat(json.path("language").asText()).isEqualTo("java");
    JsonNode image = json.path("image");
    // The local runtime and EdgeModuleMain pick the factory whose id ends the image repository.
    assertThat(image.path("repository").asText()).isEqualTo("${CONTAINER_REGISTRY_SERVER}/edgeai4j/" + id);
    assertThat(image.path("tag").path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(image.path("contextPath").asText()).isEqualTo("./");
    assertThat(image.path("buildOptions").isArray()).isTrue();
    Map<String, String> platforms = new TreeMap<>();
    image.path("tag").path("platforms").fields().forEachRemaining(e -> platforms.put(e.getKey(), e.getValue().asText()));
    Map<String, String> expected = new TreeMap<>();
    for (Platform platform : module.platforms()) {
      expected.put(platform.key(), "./" + platform.dockerfile());
      assertThat(Files.isRegularFile(module.dockerfile(platform))).as(platform.dockerfile()).isTrue();
    }
    assertThat(platforms).isEqualTo(expected);
    assertThat(json.path("edgeai4j").path("module").asText()).isEqualTo(id);
  }

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void declaresWhatTheCodeRegisters(DeployableModule module) throws Exception {
    JsonNode declared = JSON.readTree(Repository.read(module.folder().resolve("module.json"))).path("edgeai4j");
    JavaSources sources = JavaSources.of(module.folder().resolve("src/main/java"));

    assertThat(names(declared, "inputs")).as("inputs").containsExactlyInAnyOrderElementsOf(sources.inputs());
    assertThat(names(declared, "outputs")).as("outputs").containsExactlyInAnyOrderElementsOf(sources.outputs());
    assertThat(names(declared, "methods")).as("methods").containsExactlyInAnyOrderElementsOf(sources.methods());
    assertThat(sources.inputs().size() + sources.outputs().size() + sources.methods().size()).isPositive();
  }

  private static List<String> names(JsonNode section, String field) {
    JsonNode array = section.path(field);
    assertThat(array.isArray()).as("edgeai4j." + field + " is an array").isTrue();
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    Set<String> unique = new LinkedHashSet<>(names);
    assertThat(unique).as("edgeai4j." + field + " without duplicates").hasSameSizeAs(names);
    return names;
  }
}
