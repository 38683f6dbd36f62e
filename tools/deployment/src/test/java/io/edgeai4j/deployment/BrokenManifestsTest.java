package io.edgeai4j.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken manifests ({@code broken-manifests.json}): each case edits the valid manifest by JSON pointer
 * ({@code set}, {@code remove}) and lists every problem the validator must report, exactly, as {@code <severity>
 * <pointer>: <reason>}. And its counterpart ({@code valid-variants.json}): edits that edgeHub and edgeAgent accept,
 * which the validator must accept without a problem.
 */
class BrokenManifestsTest {
  private static final ManifestValidator VALIDATOR = new ManifestValidator(TestManifests.modules());

  static Stream<Arguments> corpus() {
    return cases("broken-manifests.json");
  }

  static Stream<Arguments> validVariants() {
    return cases("valid-variants.json");
  }

  private static Stream<Arguments> cases(String resource) {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode entry : TestManifests.resource(resource)) {
      cases.add(Arguments.of(entry.get("name").asText(), entry));
    }
    return cases.stream();
  }

  @Test
  void theValidManifestHasNoProblems() {
    assertThat(VALIDATOR.validate(TestManifests.valid()).problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void reportsExactlyTheExpectedProblems(String name, JsonNode entry) {
    ObjectNode manifest = edited(entry);
    List<String> expected = new ArrayList<>();
    entry.path("expect").forEach(line -> expected.add(line.asText()));

    ValidationReport report = VALIDATOR.validate(manifest);

    List<String> actual = report.problems().stream()
        .map(problem -> problem.severity().name().toLowerCase(java.util.Locale.ROOT) + " " + problem).toList();
    assertThat(actual).as(name).containsExactlyElementsOf(expected);
    assertThat(report.valid()).isEqualTo(expected.stream().noneMatch(line -> line.startsWith("error ")));
    assertThat(expected).as("every case of the corpus expects at least one problem").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVariants")
  void acceptsTheValidVariants(String name, JsonNode entry) {
    ValidationReport report = VALIDATOR.validate(edited(entry));

    assertThat(report.problems()).as(name).isEmpty();
    assertThat(report.valid()).isTrue();
  }

  /** The valid manifest with the entry's {@code set} and {@code remove} edits. */
  private static ObjectNode edited(JsonNode entry) {
    ObjectNode manifest = TestManifests.valid();
    for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("set").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> set = it.next();
      TestManifests.set(manifest, set.getKey(), set.getValue());
    }
    for (JsonNode pointer : entry.path("remove")) {
      TestManifests.remove(manifest, pointer.asText());
    }
    return manifest;
  }
}
