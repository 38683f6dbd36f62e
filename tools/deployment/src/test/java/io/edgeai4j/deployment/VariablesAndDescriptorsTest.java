package io.edgeai4j.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariablesAndDescriptorsTest {
  @TempDir Path directory;

  @Test
  void dotEnvLinesCommentsQuotesAndTheEnvironmentAsFallback() throws IOException {
    Path env = Files.writeString(directory.resolve(".env"), String.join("\n", "# a comment", "", "A=1",
        "export B = two words ", "C=\"quoted # not a comment\"", "D='x'", "E=", "SHARED=from-file"));

    Variables variables = Variables.load(env, Map.of("SHARED", "from-env", "ONLY_ENV", "e"));

    assertThat(variables.get("A")).contains("1");
    assertThat(variables.get("B")).contains("two words");
    assertThat(variables.get("C")).contains("quoted # not a comment");
    assertThat(variables.get("D")).contains("x");
    assertThat(variables.get("E")).contains("");
    assertThat(variables.get("SHARED")).contains("from-file");
    assertThat(variables.get("ONLY_ENV")).contains("e");
    assertThat(variables.get("NONE")).isEmpty();
  }

  @Test
  void aLineThatIsNotKeyEqualsValueIsRefusedWithItsNumber() throws IOException {
    Path env = Files.writeString(directory.resolve(".env"), "A=1\nnot a setting\n");

    assertThatThrownBy(() -> Variables.load(env, Map.of()))
        .hasMessage(env + " line 2: 'not a setting' is not KEY=VALUE with a KEY of letters, digits and '_'");
  }

  @Test
  void descriptorsAreFoundByFolderAndByImage() {
    ModuleDescriptors modules = TestManifests.modules();

    assertThat(modules.folders()).containsExactly("inference", "model-update", "sensor-ingestion");
    ModuleDescriptor inference = modules.byFolder("inference").orElseThrow();
    assertThat(inference.endpoints().orElseThrow().inputs()).containsExactly("infer", "features", "activate");
    assertThat(modules.forImage("anyacr.azurecr.io/edgeai4j/inference:9.9-arm64v8")).contains(inference);
    assertThat(modules.forImage("ANYACR.azurecr.io/edgeai4j/inference@sha256:abc")).contains(inference);
    assertThat(modules.forImage("anyacr.azurecr.io/edgeai4j/inference-old:1")).isEmpty();
    assertThat(modules.forImage("localhost:5000/edgeai4j/sensor-ingestion:0.1.0-amd64").orElseThrow().folder())
        .isEqualTo("sensor-ingestion");
    // Without a registry, Docker reads docker.io/edgeai4j/inference: a registry like any other for ${REGISTRY}.
    assertThat(modules.forImage("edgeai4j/inference:0.1.0-amd64")).contains(inference);
    assertThat(modules.forImage("inference:0.1.0-amd64")).isEmpty();
    assertThat(modules.forImage("edgeai4j/inference-old:1")).isEmpty();
  }

  @Test
  void imagesAreNamedAsIotedgedevNamesThem() throws TemplateException {
    ModuleDescriptor inference = TestManifests.modules().byFolder("inference").orElseThrow();

    assertThat(inference.image("amd64", Variables.of(Map.of("CONTAINER_REGISTRY_SERVER", "Acr.io",
        "CONTAINER_TAG", "rc1"), Map.of()), "/p")).isEqualTo("acr.io/edgeai4j/inference:0.1.0-rc1-amd64");
    assertThatThrownBy(() -> inference.image("amd64", Variables.none(), "/p"))
        .hasMessage("/p: variable CONTAINER_REGISTRY_SERVER (in '${CONTAINER_REGISTRY_SERVER}') is not defined in"
            + " the .env file or the environment");
  }

  @Test
  void aBrokenModuleJsonNamesTheFileAndPointer() throws IOException {
    Path folder = Files.createDirectories(directory.resolve("camera"));
    Path file = Files.writeString(folder.resolve("module.json"),
        "{\"image\": {\"repository\": \"r\", \"tag\": {\"version\": \"1\", \"platforms\": {\"amd64\": 1}}}}");

    assertThatThrownBy(() -> ModuleDescriptors.load(directory))
        .hasMessage(file + ": /image/tag/platforms/amd64: expected the Dockerfile's path as a string");
    Files.writeString(file, "{\"image\": {\"tag\": {\"version\": \"1\"}}}");
    assertThatThrownBy(() -> ModuleDescriptors.load(directory))
        .hasMessage(file + ": /image/repository: expected a non-empty string, found nothing");
    Files.writeString(file, "{\"image\": {\"repository\": \"r\", \"tag\": {\"version\": \"1\", \"platforms\":"
        + " {\"amd64\": \"./D\"}}}, \"edgeai4j\": {\"module\": \"camera\", \"inputs\": \"frames\"}}");
    assertThatThrownBy(() -> ModuleDescriptors.load(directory))
        .hasMessage(file + ": /edgeai4j/inputs: expected an array of names, found \"frames\"");
  }

  @Test
  void aModuleWithoutTheEdgeai4jSectionDeclaresNothing() throws IOException {
    Path folder = Files.createDirectories(directory.resolve("foreign"));
    Files.writeString(folder.resolve("module.json"), "{\"image\": {\"repository\": \"r\", \"tag\": {\"version\":"
        + " \"1\", \"platforms\": {\"amd64\": \"./D\"}}}}");

    assertThat(ModuleDescriptors.load(directory).byFolder("foreign").orElseThrow().endpoints()).isEmpty();
    assertThat(List.of(Platform.values())).extracting(Platform::manifestName)
        .containsExactly("amd64", "amd64.gpu", "arm64v8");
  }
}
