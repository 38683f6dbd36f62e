package io.edgeai4j.inference.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeai4j.inference.backend.OptimizationLevel;
import io.edgeai4j.inference.serving.VersionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's desired properties bind as the module host binds them, with the values the README says. */
class ReadmeExampleTest {
  /** As the host's binding: unknown fields and nulls for primitives fail. */
  private static final ObjectMapper HOST = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

  @Test
  void theReadmesDesiredPropertiesBind() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Twin: desired properties");
    int start = readme.indexOf("```json", section) + "```json".length();
    String json = readme.substring(start, readme.indexOf("```", start));
    InferenceConfig config = HOST.readValue(json, InferenceConfig.class);
    assertThat(config.repository(Map.of())).isEqualTo(Path.of("/models"));
    assertThat(config.sharedDirectory(Map.of())).contains(Path.of("/shared"));
    assertThat(config.backend()).isNull();
    assertThat(config.backendOptions()).isEqualTo(BackendSettings.DEFAULT);
    assertThat(config.models().get("fault-classifier").versionPolicy()).isEqualTo(VersionPolicy.latest(1));
    assertThat(config.features().get("vibration")).isEqualTo(new FeatureMapping("fault-classifier", null, 0.6));
    assertThat(config.windows().get("spindle")).isEqualTo(new FeatureMapping("vibration-cnn", null, 0.6));
    assertThat(config.activations()).isEqualTo(new ActivationSettings(java.time.Duration.ofSeconds(10), 64))
        .isEqualTo(ActivationSettings.DEFAULT);
    assertThat(config.maxInFlight()).isEqualTo(1024);
  }

  @Test
  void anEmptyTwinTakesTheEnvironmentThenTheDefaults() throws Exception {
    InferenceConfig empty = HOST.readValue("{}", InferenceConfig.class);
    assertThat(empty).isEqualTo(InferenceConfig.empty());
    assertThat(empty.repository(Map.of())).isEqualTo(Path.of("model-repository"));
    assertThat(empty.repository(Map.of("MODEL_REPOSITORY", "/srv/models"))).isEqualTo(Path.of("/srv/models"));
    assertThat(empty.sharedDirectory(Map.of())).isEmpty();
    assertThat(empty.sharedDirectory(Map.of("SHARED_DIRECTORY", "/shared"))).contains(Path.of("/shared"));
    InferenceConfig specific = HOST.readValue("""
        {"models": {"m": {"versionPolicy": {"specific": [3, 1]}}}, "backendOptions": {"optimizationLevel": "basic"}}""",
        InferenceConfig.class);
    assertThat(specific.models().get("m").versionPolicy()).isEqualTo(VersionPolicy.specific(List.of(1L, 3L)));
    assertThat(specific.backendOptions().optimizationLevel()).isEqualTo(OptimizationLevel.BASIC);
  }

  @Test
  void badSettingsAreRefusedNamingThem() {
    for (String[] bad : new String[][] {
        {"{\"models\": {\"a.b\": {}}}", "model name 'a.b' is not a valid twin key"},
        {"{\"models\": {\"m\": {\"versionPolicy\": {\"newest\": 1}}}}", "versionPolicy must be {\"latest\": n}"},
        {"{\"models\": {\"m\": {\"versionPolicy\": {\"specific\": [0]}}}}", "versionPolicy.specific[0] must be"},
        {"{\"features\": {\"vibration\": {\"model\": \"m\", \"minConfidence\": 2}}}", "minConfidence must be 0 to 1"},
        {"{\"features\": {\"vibration\": {}}}", "model"},
        {"{\"backendOptions\": {\"optimizationLevel\": \"max\"}}", "backendOptions.optimizationLevel must be one of"},
        {"{\"backendOptions\": {\"intraOpThreads\": -1}}", "backendOptions.intraOpThreads must be 0"},
        {"{\"maxInFlight\": 0}", "maxInFlight must be 1 to 100000, found 0"},
        {"{\"windows\": {\"a b\": {\"model\": \"m\"}}}", "windows: sensor name 'a b' is not a valid twin key"},
        {"{\"windows\": {\"spindle\": {\"model\": \"m\", \"minConfidence\": -1}}}", "minConfidence must be 0 to 1"},
        {"{\"activations\": {\"reassemblyTimeoutMillis\": 0}}",
            "activations.reassemblyTimeoutMillis must be 1 to 3600000, found 0"},
        {"{\"activations\": {\"maxPendingSets\": 0}}", "activations.maxPendingSets must be 1 to 100000, found 0"},
        {"{\"modelz\": {}}", "modelz"}}) {
      assertThatThrownBy(() -> HOST.readValue(bad[0], InferenceConfig.class)).as(bad[0])
          .hasMessageContaining(bad[1]);
    }
  }
}
