package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rollout metric queries: well formed, reading only what the model-update module reports
 * ({@link ModelState#toReported()}), and counting the right devices for each reported state.
 */
class RolloutMetricsTest {
  private static final String MODEL = "fault-classifier";

  @Test
  void everyQueryIsWellFormedAndReadsOnlyWhatTheModuleReports() {
    Map<String, String> queries = RolloutMetrics.queries("model-update", MODEL, 3);
    ObjectNode reported = reported(UpdateState.ACTIVE, 3L, 3L);
    Set<String> reportedFields = new TreeSet<>();
    reported.fieldNames().forEachRemaining(reportedFields::add);

    assertThat(queries).containsOnlyKeys(RolloutMetrics.NAMES);
    for (Map.Entry<String, String> entry : queries.entrySet()) {
      MetricQuery query = MetricQuery.parse(entry.getValue());
      assertThat(entry.getValue()).as(entry.getKey())
          .startsWith("SELECT deviceId FROM devices.modules WHERE moduleId = 'model-update' AND ");
      assertThat(query.attributes()).as(entry.getKey()).isNotEmpty().allSatisfy(path -> {
        if (!path.equals(List.of("moduleId"))) {
          assertThat(path).hasSize(5);
          assertThat(path.subList(0, 4)).containsExactly("properties", "reported", "models", MODEL);
          assertThat(reportedFields).contains(path.get(4));
        }
      });
    }
    // The model's name has a '-', so it is escaped as IoT Hub wants a name that is not an identifier.
    assertThat(queries.get(RolloutMetrics.ACTIVE)).isEqualTo("SELECT deviceId FROM devices.modules WHERE"
        + " moduleId = 'model-update' AND properties.reported.models.[[fault-classifier]].activeVersion = 3");
    assertThat(RolloutMetrics.queries("model-update", "fc_3", 7).get(RolloutMetrics.TARGETED))
        .isEqualTo("SELECT deviceId FROM devices.modules WHERE moduleId = 'model-update' AND"
            + " properties.reported.models.fc_3.desiredVersion = 7");
  }

  /** What version 3's metrics count for one device, by what its module reports (ModelState.toReported()). */
  @ParameterizedTest(name = "{0}, desired {1}, active {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
    "downloading | 3    | 2    | targeted",
    "retrying    | 3    | 2    | targeted",
    "verifying   | 3    | 2    | targeted downloaded",
    "staged      | 3    | 2    | targeted downloaded",
    "activating  | 3    | 2    | targeted downloaded",
    "active      | 3    | 3    | targeted downloaded active",
    "failed      | 3    | 2    | targeted failed",
    "rolledBack  | 3    | 2    | targeted downloaded failed",
    "failed      | 3    | null | targeted failed",
    "active      | 2    | 2    | ''",
    "active      | 4    | 4    | ''",
    "downloading | 4    | 3    | active",
    "unmanaged   | null | 3    | active",
    "unmanaged   | null | null | ''",
  })
  void eachReportedStateCountsInTheRightMetrics(String state, Long desired, Long active, String expected) {
    JsonNode twin = moduleTwin("dev-1", "model-update", reported(UpdateState.of(state), desired, active));
    List<String> counted = new ArrayList<>();
    RolloutMetrics.queries("model-update", MODEL, 3).forEach((name, query) -> {
      if (MetricQuery.parse(query).matches(twin)) {
        counted.add(name);
      }
    });
    assertThat(counted).containsExactlyElementsOf(
        expected.isBlank() ? List.of() : Arrays.asList(expected.split(" ")));
  }

  @Test
  void anotherModuleOrAnotherModelIsNotCounted() {
    Map<String, String> queries = RolloutMetrics.queries("model-update", MODEL, 3);
    JsonNode otherModule = moduleTwin("dev-1", "inference", reported(UpdateState.ACTIVE, 3L, 3L));
    ObjectNode otherModel = (ObjectNode) moduleTwin("dev-1", "model-update", reported(UpdateState.ACTIVE, 3L, 3L));
    ObjectNode models = (ObjectNode) otherModel.at("/properties/reported/models");
    models.set("anomaly", models.remove(MODEL));
    queries.values().forEach(q -> {
      assertThat(MetricQuery.parse(q).matches(otherModule)).as(q).isFalse();
      assertThat(MetricQuery.parse(q).matches(otherModel)).as(q).isFalse();
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "SELECT * FROM devices WHERE tags.a = 1                                | expected the query to start with",
    "SELECT deviceId FROM devices.modules WHERE                            | at character 43: expected an attribute name (a letter",
    "SELECT deviceId FROM devices.modules WHERE a.b                        | at character 47: expected a comparison operator",
    "SELECT deviceId FROM devices.modules WHERE a = 'x                     | expected a closing '",
    "SELECT deviceId FROM devices.modules WHERE a = x                      | expected a constant",
    "SELECT deviceId FROM devices.modules WHERE (a = 1                     | expected ')'",
    "SELECT deviceId FROM devices.modules WHERE a = 1 b = 2                | expected the end of the query, found 'b = 2'",
    "SELECT deviceId FROM devices.modules WHERE models.[[]].state = 'x'    | expected a name and ']]' after '[['",
  })
  void malformedQueriesAreRefusedNamingWhereAndWhat(String query, String message) {
    assertThatThrownBy(() -> MetricQuery.parse(query)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
    "(tags.site='plant-7') AND (tags.canary=true)                      | tags.site='plant-7'",
    "(tags.a='x' OR tags.b='y') AND (tags.canary=true)                 | tags.a='x' OR tags.b='y'",
    "(tags.a=')(') and (tags.canary=true)                              | tags.a=')('",
    "((tags.a=1) OR (tags.b=2)) AND (tags.c=3)                         | (tags.a=1) OR (tags.b=2)",
    "tags.site='plant-7' AND tags.canary=true                          | null",
    "(tags.site='plant-7') OR (tags.canary=true)                       | null",
    "(tags.site='plant-7') AND (tags.canary=true) AND (tags.x=1)       | null",
    "(tags.site='plant-7')                                             | null",
  })
  void theFleetConditionIsTheFirstPartOfACanaryCondition(String canary, String fleet) {
    assertThat(Rollout.fleetCondition(canary)).isEqualTo(fleet);
  }

  static ObjectNode reported(UpdateState state, Long desired, Long active) {
    return new ModelState(MODEL, state, desired, active, Instant.parse("2026-12-07T05:00:00Z"),
        state == UpdateState.FAILED || state == UpdateState.ROLLED_BACK ? "sha256 of the downloaded package ..." : null,
        0, 0, null, null, Set.of(), 0, null, null).toReported();
  }

  static JsonNode moduleTwin(String device, String module, ObjectNode modelReport) {
    ObjectNode twin = JsonNodeFactory.instance.objectNode();
    twin.put("deviceId", device);
    twin.put("moduleId", module);
    twin.putObject("properties").putObject("reported").putObject("models").set(MODEL, modelReport);
    return twin;
  }
}
