package io.edgeai4j.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.module.UnknownKeys;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ResolvedConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SourceRegistry registry = SourceRegistry.fromClassPath();

  private ResolvedConfig resolve(String json) throws Exception {
    return resolve(json, UnknownKeys.WARN);
  }

  private ResolvedConfig resolve(String json, UnknownKeys unknownKeys) throws Exception {
    return ResolvedConfig.resolve(JSON.readValue(json, IngestionConfig.class), registry, unknownKeys);
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      # case                  | sources                                                                                                              | sensors of source 'a' | ignored: pointer = warning, joined by ' && '
      flat typo               | {'a': {'type': 'replay', 'file': 'a.csv', 'sped': 2, 'columns': {'flow': 'F1'}}}                                    | flow                  | /sources/a/sped = unknown key, ignored; did you mean 'speed'?
      in a map's value        | {'a': {'type': 'modbus', 'host': 'h', 'points': {'flow': {'table': 'holdingRegister', 'address': 0, 'dataType': 'float32', 'scal': 2}}}} | flow | /sources/a/points/flow/scal = unknown key, ignored; did you mean 'scale'?
      three levels deep       | {'a': {'type': 'mqtt', 'brokerUri': 'tcp://b:1883', 'subscriptions': {'th': {'topic': 't/#', 'fields': {'labTemp': {'path': '/t', 'unt': 'degC', 'qos': 1}}}}}} | labTemp | /sources/a/subscriptions/th/fields/labTemp/unt = unknown key, ignored; did you mean 'unit'? && /sources/a/subscriptions/th/fields/labTemp/qos = unknown key, ignored
      an object at the top    | {'a': {'type': 'replay', 'file': 'a.csv', 'columns': {'flow': 'F1'}, 'retry': {'max': 3}}}                          | flow                  | /sources/a/retry = unknown key, ignored
      in two sources          | {'a': {'type': 'replay', 'file': 'a.csv', 'columns': {'flow': 'F1'}, 'x': 1}, 'b/c': {'type': 'replay', 'file': 'b.csv', 'columns': {'level': 'L'}, 'y': 2}} | flow | /sources/a/x = unknown key, ignored && /sources/b~1c/y = unknown key, ignored
      """)
  void unknownKeysInSourceSettingsAreIgnoredAndListed(String name, String sources, String sensors, String ignored)
      throws Exception {
    ResolvedConfig config = resolve(("{'sources': " + sources + "}").replace('\'', '"'), UnknownKeys.WARN);

    assertThat(config.sources().get("a").settings().sensors()).containsExactly(sensors);
    Map<String, String> expected = new LinkedHashMap<>();
    Arrays.stream(ignored.split(" && ")).map(line -> line.split(" = ", 2)).forEach(kv -> expected.put(kv[0], kv[1]));
    assertThat(config.ignored()).containsExactlyEntriesOf(expected);
    assertThat(config.config().sources().get("a").toString()).as("the twin's settings are left as they are")
        .isEqualTo(JSON.readTree(sources.replace('\'', '"')).get("a").toString());
  }

  @Test
  void aValidSourceHasNothingIgnored() throws Exception {
    assertThat(resolve("{\"sources\": {\"a\": {\"type\": \"replay\", \"file\": \"a.csv\"}}}").ignored()).isEmpty();
  }

  @Test
  void underRefuseAnUnknownKeyInSourceSettingsIsTheError() {
    assertThatThrownBy(() -> resolve("""
        {"sources": {"a": {"type": "replay", "file": "a.csv", "sped": 2}}}""", UnknownKeys.REFUSE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("sources.a.sped: Unrecognized field \"sped\"");
  }

  @Test
  void anUnknownKeyDoesNotHideAnotherError() {
    assertThatThrownBy(() -> resolve("""
        {"sources": {"a": {"type": "replay", "file": "a.csv", "sped": 2, "speed": -1}}}"""))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("sources.a: speed must be above 0 and at most 10000, found -1.0");
  }
}
