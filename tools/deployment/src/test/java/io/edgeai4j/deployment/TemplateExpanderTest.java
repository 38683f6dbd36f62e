package io.edgeai4j.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateExpanderTest {
  private static final String MODULES_PATH = "/modulesContent/$edgeAgent/properties.desired/modules";
  private static final Variables VARIABLES =
      Variables.of(Map.of("CONTAINER_REGISTRY_SERVER", "MyAcr.azurecr.io", "RUNTIME", "1.6"), Map.of("HOME", "/h"));
  private static final TemplateExpander EXPANDER = new TemplateExpander(VARIABLES, TestManifests.modules());

  private static ObjectNode template(String modulesJson) throws Exception {
    return (ObjectNode) ManifestJson.mapper().readTree("{\"$schema-template\": \"4.0.0\", \"modulesContent\": {"
        + "\"$edgeAgent\": {\"properties.desired\": {\"modules\": " + modulesJson + "}},"
        + "\"$edgeHub\": {\"properties.desired\": {\"routes\": {\"r\": \"FROM /messages/* WHERE $body.x = 1 AND"
        + " $connectionDeviceId = 'd' INTO $upstream\"}}}}}");
  }

  private static JsonNode module(GeneratedManifest manifest, String name) {
    return manifest.manifest().at(MODULES_PATH + "/" + name);
  }

  @ParameterizedTest
  @CsvSource({
    "${MODULES.inference}, AMD64, myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64",
    "${MODULES.inference}, AMD64_GPU, myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64.gpu",
    "${MODULES.sensor-ingestion}, AMD64_GPU, myacr.azurecr.io/edgeai4j/sensor-ingestion:0.1.0-amd64",
    "${MODULES.inference.amd64}, AMD64_GPU, myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64",
    "${MODULES.inference}, ARM64V8, myacr.azurecr.io/edgeai4j/inference:0.1.0-arm64v8",
    "${MODULES.inference.amd64.debug}, ARM64V8, myacr.azurecr.io/edgeai4j/inference:0.1.0-amd64.debug",
    "mcr.microsoft.com/azureiotedge-hub:${RUNTIME}, AMD64, mcr.microsoft.com/azureiotedge-hub:1.6",
    "$HOME/x:$RUNTIME, AMD64, /h/x:1.6",
  })
  void expandsImagesAndVariables(String image, Platform platform, String expected) throws Exception {
    GeneratedManifest manifest = EXPANDER.expand(template("{\"m\": {\"settings\": {\"image\": \"" + image
        + "\"}}}"), platform);

    assertThat(module(manifest, "m").at("/settings/image").asText()).isEqualTo(expected);
    assertThat(manifest.manifest().has("$schema-template")).isFalse();
    assertThat(manifest.manifest().at("/modulesContent/$edgeHub/properties.desired/routes/r").asText())
        .as("lower- and mixed-case $words are edgeHub's, not variables")
        .isEqualTo("FROM /messages/* WHERE $body.x = 1 AND $connectionDeviceId = 'd' INTO $upstream");
  }

  /** amd64.gpu prefers a module's amd64.gpu image, falls back to amd64, and names amd64 when neither exists. */
  @ParameterizedTest
  @CsvSource({
    "'amd64.gpu,amd64,arm64v8', AMD64_GPU, amd64.gpu",
    "'amd64,arm64v8', AMD64_GPU, amd64",
    "arm64v8, AMD64_GPU, amd64",
    "'amd64.gpu,amd64', AMD64, amd64",
    "'amd64.gpu,arm64v8', ARM64V8, arm64v8",
  })
  void theImagePlatformOfATarget(String declared, Platform platform, String expected) {
    Map<String, java.nio.file.Path> platforms = new java.util.LinkedHashMap<>();
    for (String name : declared.split(",")) {
      platforms.put(name, java.nio.file.Path.of("./Dockerfile." + name));
    }
    ModuleDescriptor module = new ModuleDescriptor("m", "r/m", "1", platforms, java.util.Optional.empty());

    assertThat(platform.imagePlatformOf(module)).isEqualTo(expected);
  }

  @Test
  void anUndefinedVariableNamesItselfAndWhereItIsUsed() {
    assertThatThrownBy(() -> EXPANDER.expand(template("{\"m\": {\"env\": {\"K\": {\"value\": \"a-${NOPE}\"}}}}"),
        Platform.AMD64))
        .isInstanceOf(TemplateException.class)
        .hasMessage(MODULES_PATH + "/m/env/K/value: variable NOPE (in '${NOPE}') is not defined in the .env file"
            + " or the environment");
  }

  @Test
  void anUnknownModuleFolderOrPlatformIsNamed() {
    assertThatThrownBy(() -> EXPANDER.expand(template("{\"m\": {\"settings\": {\"image\": \"${MODULES.camera}\"}}}"),
        Platform.AMD64))
        .hasMessage(MODULES_PATH + "/m/settings/image: ${MODULES.camera}: no module.json in a module folder 'camera';"
            + " the folders with one are [inference, model-update, sensor-ingestion]");
    assertThatThrownBy(() -> EXPANDER.expand(template(
        "{\"m\": {\"settings\": {\"image\": \"${MODULES.inference.windows-amd64}\"}}}"), Platform.AMD64))
        .hasMessage(MODULES_PATH + "/m/settings/image: module folder 'inference' has no platform 'windows-amd64' in its"
            + " module.json image.tag.platforms [amd64, amd64.debug, amd64.gpu, arm64v8]");
  }

  @Test
  void platformOverlaysMergeIntoTheirObjectAndDisappear() throws Exception {
    String modules = "{\"m\": {\"settings\": {\"image\": \"a:1\", \"createOptions\": {\"HostConfig\": {\"Binds\":"
        + " [\"/a:/a\"], \"Memory\": 1}, \"x-edgeai4j-platforms\": {\"amd64.gpu\": {\"HostConfig\": {\"DeviceRequests\":"
        + " [{\"Count\": -1, \"Capabilities\": [[\"gpu\"]]}]}}, \"arm64v8\": {\"HostConfig\": {\"Runtime\": \"nvidia\","
        + " \"Memory\": null}}}}}}}";

    assertThat(module(EXPANDER.expand(template(modules), Platform.AMD64), "m").at("/settings/createOptions").asText())
        .isEqualTo("{\"HostConfig\":{\"Binds\":[\"/a:/a\"],\"Memory\":1}}");
    assertThat(module(EXPANDER.expand(template(modules), Platform.AMD64_GPU), "m").at("/settings/createOptions")
        .asText()).isEqualTo(
            "{\"HostConfig\":{\"Binds\":[\"/a:/a\"],\"Memory\":1,\"DeviceRequests\":[{\"Count\":-1,\"Capabilities\":"
                + "[[\"gpu\"]]}]}}");
    assertThat(module(EXPANDER.expand(template(modules), Platform.ARM64V8), "m").at("/settings/createOptions")
        .asText()).isEqualTo("{\"HostConfig\":{\"Binds\":[\"/a:/a\"],\"Runtime\":\"nvidia\"}}");
  }

  @Test
  void anOverlayForAnUnknownPlatformIsRefused() {
    assertThatThrownBy(() -> EXPANDER.expand(template("{\"m\": {\"x-edgeai4j-platforms\": {\"amd64-gpu\": {}}}}"),
        Platform.AMD64))
        .hasMessage(MODULES_PATH + "/m/x-edgeai4j-platforms/amd64-gpu: unknown platform 'amd64-gpu', expected one of"
            + " amd64, amd64.gpu, arm64v8");
  }

  @Test
  void longCreateOptionsAreCutIn512CharacterChunksWarningPast8() throws Exception {
    String longValue = "x".repeat(5000);
    GeneratedManifest manifest = EXPANDER.expand(template("{\"m\": {\"settings\": {\"image\": \"a:1\","
        + " \"createOptions\": {\"Labels\": {\"k\": \"" + longValue + "\"}}, \"after\": 1}}}"), Platform.AMD64);

    JsonNode settings = module(manifest, "m").get("settings");
    String whole = "{\"Labels\":{\"k\":\"" + longValue + "\"}}";
    assertThat(settings.properties().stream().map(Map.Entry::getKey).toList()).containsExactly("image",
        "createOptions", "createOptions01", "createOptions02", "createOptions03", "createOptions04",
        "createOptions05", "createOptions06", "createOptions07", "createOptions08", "createOptions09", "after");
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      String chunk = settings.get(CreateOptions.key(i)).asText();
      assertThat(chunk.length()).isEqualTo(i < 9 ? 512 : whole.length() - 9 * 512);
      joined.append(chunk);
    }
    assertThat(joined.toString()).isEqualTo(whole);
    assertThat(manifest.warnings()).containsExactly(MODULES_PATH + "/m/settings/createOptions: 5019 characters make"
        + " 10 chunks of 512, over iotedgedev's 8 (edgeAgent reads up to 100)");
    assertThat(new ManifestValidator(ModuleDescriptors.none()).validate(manifest.manifest()).problems())
        .as("the validator joins the chunks back").noneMatch(p -> p.pointer().contains("/m/settings"));
  }

  @Test
  void createOptionsPast100ChunksAreRefused() {
    String longValue = "x".repeat(100 * 512);
    assertThatThrownBy(() -> EXPANDER.expand(template("{\"m\": {\"settings\": {\"image\": \"a:1\", \"createOptions\":"
        + " {\"k\": \"" + longValue + "\"}}}}"), Platform.AMD64))
        .hasMessage(MODULES_PATH + "/m/settings/createOptions: 51208 characters make 101 chunks of 512; edgeAgent"
            + " reads at most 100");
  }

  @Test
  void chunkKeysAreEdgeAgentsNames() {
    assertThat(CreateOptions.key(0)).isEqualTo("createOptions");
    assertThat(CreateOptions.key(1)).isEqualTo("createOptions01");
    assertThat(CreateOptions.key(99)).isEqualTo("createOptions99");
    assertThat(CreateOptions.chunks("")).containsExactly("");
    assertThat(CreateOptions.chunks("a".repeat(513))).containsExactly("a".repeat(512), "a");
  }
}
