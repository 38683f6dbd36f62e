package io.edgeai4j.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.ingestion.config.IngestionConfig;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResolvedConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SourceRegistry registry = SourceRegistry.fromClassPath();

  private ResolvedConfig resolve(String json) throws Exception {
    return ResolvedConfig.resolve(JSON.readValue(json, IngestionConfig.class), registry);
  }

  @Test
  void findsTheBuiltInPluginsOnTheClassPath() {
    assertThat(registry.provider("replay")).isNotNull();
    assertThat(registry.provider("simulator")).isNotNull();
    assertThat(registry.describe()).contains("replay (", "simulator (");
  }

  @Test
  void resolvesSourcesWithTheirPlugins() throws Exception {
    ResolvedConfig config = resolve("""
        {"sources": {"rec": {"type": "replay", "file": "a.csv", "columns": {"flow": "F1"}},
                     "sim": {"type": "simulator", "seed": 7}}}""");
    assertThat(config.sources()).containsOnlyKeys("rec", "sim");
    assertThat(config.sources().get("rec").settings().sensors()).containsExactly("flow");
    assertThat(config.sources().get("sim").settings().sensors()).contains("vibration", "temperature", "current");
    ResolvedConfig same = resolve("""
        {"sources": {"rec": {"type": "replay", "file": "a.csv", "columns": {"flow": "F1"}},
                     "sim": {"type": "simulator", "seed": 7}}}""");
    assertThat(config.sources().get("sim").sameAs(same.sources().get("sim"))).isTrue();
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of("{\"sources\": {\"a\": {\"file\": \"x.csv\"}}}",
            "sources.a.type: expected the source's type, one of: modbus (Modbus TCP"),
        Arguments.of("{\"sources\": {\"a\": {\"type\": \"profibus\"}}}",
            "sources.a.type: no source plug-in of type 'profibus'; known types: modbus (Modbus TCP"),
        Arguments.of("{\"sources\": {\"a\": {\"type\": \"replay\", \"file\": \"x.csv\", \"speed\": -1}}}",
            "sources.a: speed must be above 0 and at most 10000, found -1.0"),
        Arguments.of("{\"sources\": {\"a\": {\"type\": \"replay\", \"file\": \"x.csv\", \"format\": 3}}}",
            "sources.a.format: "),
        Arguments.of("""
            {"sources": {"a": {"type": "replay", "file": "x.csv", "columns": {"temperature": "T"}},
                         "b": {"type": "simulator"}}}""",
            "sources.b: sensor 'temperature' is also produced by source 'a'; a sensor name must be unique across sources"));
  }

  @ParameterizedTest
  @MethodSource("broken")
  void refusesWithThePathAndReason(String json, String message) {
    assertThatThrownBy(() -> resolve(json)).isInstanceOf(ConfigurationException.class).hasMessageStartingWith(message);
  }

  @Test
  void bindingErrorsOfTheModulesOwnSectionsNameTheField() {
    assertThatThrownBy(() -> resolve("{\"sensors\": {\"v\": {\"window\": {\"size\": 1024, \"hop\": 2048}}}}"))
        .hasMessageContaining("window hop must be 1 to the window size 1024, found 2048");
    assertThatThrownBy(() -> resolve("{\"sensors\": {\"v\": {\"min\": 5, \"max\": 1}}}"))
        .hasMessageContaining("min 5.0 is above max 1.0");
    assertThatThrownBy(() -> resolve("{\"delivery\": {\"spillMaxBytes\": 10}}"))
        .hasMessageContaining("spillMaxBytes must be 1 MiB (1048576) to 64 GiB, found 10");
    assertThatThrownBy(() -> resolve("{\"sensors\": {\"v\": {\"sendWindows\": true, \"window\": {\"size\": 16384}}}}"))
        .hasMessageContaining("sendWindows sends windows of up to 8192 samples");
  }
}
