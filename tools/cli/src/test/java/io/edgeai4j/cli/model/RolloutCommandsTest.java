package io.edgeai4j.cli.model;

import static io.edgeai4j.cli.model.RolloutMetricsTest.moduleTwin;
import static io.edgeai4j.cli.model.RolloutMetricsTest.reported;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * edge model publish (fleet, canary), status, promote and abort against a loopback HTTPS stand-in of IoT Hub's
 * configurations API ({@link FakeIotHub}) that keeps the deployments, checks the SAS token, api-version and
 * If-Match, and counts each deployment's metrics over module twins whose reported properties are the model-update
 * module's own ({@code ModelState.toReported()}).
 */
class RolloutCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "fault-classifier";

  private static TestTls tls;
  private static SSLSocketFactory previousFactory;

  @TempDir Path root;
  private FakeIotHub hub;
  private FakeAzure server;
  private Path modelDir;

  @BeforeAll
  static void trustTheFakeHub() throws Exception {
    tls = TestTls.forLoopback();
    previousFactory = tls.trustForHttpsUrlConnections();
  }

  @AfterAll
  static void restoreTrust() {
    TestTls.restore(previousFactory);
  }

  @BeforeEach
  void start() throws Exception {
    hub = new FakeIotHub();
    server = FakeAzure.https(tls, hub::answer);
    modelDir = TestModels.versionDir(root.resolve("repo"), MODEL, 3, true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun edge(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--hub-connection-string", server.hubConnectionString(), "--timeout", "20s"));
    return CliRun.of(all.toArray(String[]::new));
  }

  private void publishCanary() {
    CliRun run = edge("model", "publish", "--model-dir", modelDir.toString(), "--url",
        "https://models.example.com/fc/3/package.zip", "--target-condition", "tags.site='plant-7'",
        "--canary-condition", "tags.canary=true", "--deployment-id", "fc-3");
    assertThat(run.exitCode()).as(run.err()).isZero();
    server.requests.clear();
  }

  /** A fleet deployment of version 2 as publish makes it (the lower layer the canary's devices go back to). */
  private void fleetOfVersion2() throws Exception {
    Path v2 = TestModels.versionDir(root.resolve("repo"), MODEL, 2, true);
    CliRun run = edge("model", "publish", "--model-dir", v2.toString(), "--url",
        "https://models.example.com/fc/2/package.zip", "--target-condition", "tags.site='plant-7'");
    assertThat(run.exitCode()).as(run.err()).isZero();
    server.requests.clear();
  }

  private void devices(Object[]... rows) {
    for (Object[] row : rows) {
      hub.moduleTwins.add(moduleTwin((String) row[0], "model-update",
          reported((UpdateState) row[1], (Long) row[2], (Long) row[3])));
    }
  }

  @Test
  void publishWritesTheMetricQueriesThatStatusThenCounts() throws Exception {
    fleetOfVersion2();
    publishCanary();
    devices(new Object[] {"dev-1", UpdateState.ACTIVE, 3L, 3L},
        new Object[] {"dev-2", UpdateState.ROLLED_BACK, 3L, 2L},
        new Object[] {"dev-3", UpdateState.DOWNLOADING, 3L, 2L},
        new Object[] {"dev-4", UpdateState.ACTIVE, 2L, 2L});
    hub.systemMetrics.put("fc-3-canary", Map.of("targetedCount", 3L, "appliedCount", 3L));

    // What publish sent: the queries of RolloutMetrics, through the service SDK.
    assertThat(hub.configurations.get("fc-3-canary").path("metrics").path("queries").toString())
        .isEqualTo(JSON.valueToTree(RolloutMetrics.queries("model-update", MODEL, 3)).toString());

    CliRun text = edge("model", "status", MODEL);
    CliRun json = edge("model", "status", MODEL, "--json");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("model fault-classifier on 127.0.0.1: 2 deployment(s)")
        .contains("canary fc-3-canary\n  version:    3 (module model-update)\n  priority:   11\n"
            + "  target:     (tags.site='plant-7') AND (tags.canary=true)\n"
            + "  system:     targetedCount 3, appliedCount 3\n"
            + "  devices:    targeted 3, downloaded 2, active 1, failed 1")
        .contains("fleet  model-fault-classifier-2\n  version:    2 (module model-update)\n  priority:   10\n"
            + "  target:     tags.site='plant-7'\n  system:     targetedCount -, appliedCount - (not computed yet)\n"
            + "  devices:    targeted 1, downloaded 1, active 3, failed 0");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode status = JSON.readTree(json.out());
    assertThat(status.path("model").asText()).isEqualTo(MODEL);
    assertThat(status.path("deployments")).hasSize(2);
    JsonNode canary = status.path("deployments").get(0);
    assertThat(canary.path("id").asText()).isEqualTo("fc-3-canary");
    assertThat(canary.path("role").asText()).isEqualTo("canary");
    assertThat(canary.path("version").asLong()).isEqualTo(3);
    assertThat(canary.path("priority").asInt()).isEqualTo(11);
    assertThat(canary.path("metrics").toString())
        .isEqualTo("{\"targeted\":3,\"downloaded\":2,\"active\":1,\"failed\":1}");
    assertThat(canary.path("systemMetrics").path("targetedCount").asLong()).isEqualTo(3);
    assertThat(status.path("deployments").get(1).path("role").asText()).isEqualTo("fleet");
    // Only reads, each signed and versioned (the stand-in refuses anything else).
    assertThat(server.requests).extracting(RecordedRequest::getMethod).containsOnly("GET");
  }

  @Test
  void statusOfAModelWithoutDeploymentsSaysWhatItFound() throws Exception {
    fleetOfVersion2();

    CliRun run = edge("model", "status", "anomaly");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("model anomaly on 127.0.0.1: no deployment of model 'anomaly'; other"
        + " deployments: model-fault-classifier-2");
  }

  @Test
  void promoteCreatesTheFleetDeploymentWithTheCanarysContentThenDeletesTheCanary() throws Exception {
    publishCanary();
    devices(new Object[] {"dev-1", UpdateState.ACTIVE, 3L, 3L});
    JsonNode canary = hub.configurations.get("fc-3-canary").deepCopy();

    CliRun run = edge("model", "promote", MODEL);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(hub.configurations).containsOnlyKeys("fc-3");
    JsonNode fleet = hub.configurations.get("fc-3");
    assertThat(fleet.path("content")).isEqualTo(canary.path("content"));
    assertThat(fleet.path("labels")).isEqualTo(canary.path("labels"));
    assertThat(fleet.path("metrics").path("queries")).isEqualTo(canary.path("metrics").path("queries"));
    assertThat(fleet.path("targetCondition").asText()).isEqualTo("tags.site='plant-7'");
    assertThat(fleet.path("priority").asInt()).isEqualTo(10);
    // list, does fc-3 exist, create it (no If-Match), delete the canary that was checked (If-Match its etag).
    assertThat(server.requests).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath())
        .containsExactly("GET /configurations", "GET /configurations/fc-3", "PUT /configurations/fc-3",
            "DELETE /configurations/fc-3-canary");
    assertThat(server.requests.get(2).getHeaders().get("If-Match")).isNull();
    assertThat(server.requests.get(3).getHeaders().get("If-Match"))
        .isEqualTo("\"" + canary.path("etag").asText() + "\"");
    assertThat(server.requests).allSatisfy(r ->
        assertThat(r.getUrl().queryParameter("api-version")).isEqualTo(FakeIotHub.API_VERSION));
    assertThat(run.out()).contains("created: layered deployment 'fc-3' (priority 10, target condition"
        + " tags.site='plant-7') with the content of 'fc-3-canary'")
        .contains("deleted: canary deployment 'fc-3-canary'")
        .contains("promoted: model fault-classifier version 3 now goes to every device that tags.site='plant-7'"
            + " selects");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "failures           | true  | '' | 65 | canary 'fc-3-canary' reports 1 device(s) failed on version 3",
    "failures, --force  | true  | --force | 0 | ",
    "not computed yet   | false | '' | 65 | canary 'fc-3-canary' has no 'failed' metric result yet (IoT Hub computes"
        + " metrics every five minutes)",
    "not computed, --force | false | --force | 0 | ",
  })
  void promoteRefusesACanaryThatReportsFailuresOrNothingUnlessForced(String name, boolean computed, String force,
      int exitCode, String message) {
    publishCanary();
    devices(new Object[] {"dev-1", UpdateState.ACTIVE, 3L, 3L},
        new Object[] {"dev-2", UpdateState.FAILED, 3L, 2L});
    hub.computeMetrics = computed;

    CliRun run = force.isEmpty() ? edge("model", "promote", MODEL) : edge("model", "promote", MODEL, force);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    if (exitCode != 0) {
      assertThat(run.err()).contains(message).contains("nothing was changed (--force promotes anyway)");
      assertThat(hub.configurations).containsOnlyKeys("fc-3-canary");
      assertThat(server.requests).extracting(RecordedRequest::getMethod).containsOnly("GET");
    } else {
      assertThat(run.err()).contains("edge model promote: warning: ").contains("promoting anyway (--force)");
      assertThat(hub.configurations).containsOnlyKeys("fc-3");
    }
  }

  @Test
  void promoteUpdatesAFleetDeploymentWithTheSameContentUnderIfMatch() throws Exception {
    publishCanary();
    devices(new Object[] {"dev-1", UpdateState.ACTIVE, 3L, 3L});
    // The same release published to the fleet at another priority (publish again without --canary-condition).
    CliRun wide = edge("model", "publish", "--model-dir", modelDir.toString(), "--url",
        "https://models.example.com/fc/3/package.zip", "--target-condition", "tags.site='plant-7'",
        "--deployment-id", "fc-3", "--priority", "5");
    assertThat(wide.exitCode()).as(wide.err()).isZero();
    String etag = hub.configurations.get("fc-3").path("etag").asText();
    server.requests.clear();

    CliRun run = edge("model", "promote", MODEL, "--version", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(hub.configurations).containsOnlyKeys("fc-3");
    assertThat(hub.configurations.get("fc-3").path("priority").asInt()).isEqualTo(10);
    RecordedRequest put = server.requests.stream().filter(r -> r.getMethod().equals("PUT")).findFirst().orElseThrow();
    assertThat(put.getHeaders().get("If-Match")).isEqualTo("\"" + etag + "\"");
    assertThat(run.out()).contains("updated: layered deployment 'fc-3': priority 5 -> 10, target condition"
        + " tags.site='plant-7' -> tags.site='plant-7'");
  }

  @Test
  void promoteRefusesAFleetDeploymentWithOtherContentAndChangesNothing() throws Exception {
    publishCanary();
    devices(new Object[] {"dev-1", UpdateState.ACTIVE, 3L, 3L});
    CliRun other = edge("model", "publish", "--model-dir", modelDir.toString(), "--url",
        "https://mirror.example.com/fc3.zip", "--target-condition", "tags.site='plant-7'", "--deployment-id", "fc-3");
    assertThat(other.exitCode()).as(other.err()).isZero();
    server.requests.clear();

    CliRun run = edge("model", "promote", MODEL);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err()).contains("deployment 'fc-3' exists with other content than canary 'fc-3-canary'")
        .contains("IoT Hub does not change a deployment's content");
    assertThat(hub.configurations).containsOnlyKeys("fc-3-canary", "fc-3");
    assertThat(server.requests).extracting(RecordedRequest::getMethod).containsOnly("GET");
  }

  @Test
  void withoutACanaryPromoteListsTheDeploymentsItFound() throws Exception {
    fleetOfVersion2();

    CliRun run = edge("model", "promote", MODEL);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(run.err()).contains("no canary deployment of model 'fault-classifier' on 127.0.0.1 (expected a"
        + " deployment '<id>-canary' setting models.fault-classifier, as edge model publish --canary-condition"
        + " creates); found deployments of model 'fault-classifier': 'model-fault-classifier-2' (version 2,"
        + " priority 10, target tags.site='plant-7'); no other deployment");
  }

  @Test
  void abortDeletesTheCanarySaysWhereItsDevicesGoAndIsIdempotent() throws Exception {
    fleetOfVersion2();
    publishCanary();
    String etag = hub.configurations.get("fc-3-canary").path("etag").asText();

    CliRun first = edge("model", "abort", MODEL);
    CliRun second = edge("model", "abort", MODEL);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(hub.configurations).containsOnlyKeys("model-fault-classifier-2");
    RecordedRequest delete = server.requests.stream().filter(r -> r.getMethod().equals("DELETE")).findFirst()
        .orElseThrow();
    assertThat(delete.getUrl().encodedPath()).isEqualTo("/configurations/fc-3-canary");
    assertThat(delete.getHeaders().get("If-Match")).isEqualTo("\"" + etag + "\"");
    assertThat(first.out()).contains("deleted: canary deployment 'fc-3-canary' (version 3, priority 11, target"
        + " (tags.site='plant-7') AND (tags.canary=true))")
        .contains("devices that (tags.site='plant-7') AND (tags.canary=true) selects go back to the"
            + " highest-priority one of these that targets them: 'model-fault-classifier-2' (version 2, priority"
            + " 10, target tags.site='plant-7'); models.fault-classifier leaves the desired properties of a device"
            + " none of them targets: its model-update module reports the model unmanaged");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("nothing to abort: no canary deployment of model 'fault-classifier' on"
        + " 127.0.0.1; found deployments of model 'fault-classifier': 'model-fault-classifier-2'");
    assertThat(server.requests).filteredOn(r -> r.getMethod().equals("DELETE")).hasSize(1);
  }

  @Test
  void aCanaryChangedMeanwhileIsNotDeleted() {
    publishCanary();
    server.answer = request -> {
      var response = hub.answer(request);
      if (request.getMethod().equals("GET")) {
        hub.touch("fc-3-canary"); // another writer updates it between our read and our delete
      }
      return response;
    };

    CliRun run = edge("model", "abort", MODEL);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err()).contains("deleting deployment 'fc-3-canary' on 127.0.0.1: it changed since it was read")
        .contains("HTTP 412");
    assertThat(hub.configurations).containsOnlyKeys("fc-3-canary");
  }

  @Test
  void severalCanariesNeedAVersion() throws Exception {
    publishCanary();
    Path v4 = TestModels.versionDir(root.resolve("repo"), MODEL, 4, true);
    CliRun four = edge("model", "publish", "--model-dir", v4.toString(), "--url", "https://models.example.com/4.zip",
        "--target-condition", "tags.site='plant-7'", "--canary-condition", "tags.canary=true");
    assertThat(four.exitCode()).as(four.err()).isZero();

    CliRun ambiguous = edge("model", "abort", MODEL);
    CliRun chosen = edge("model", "abort", MODEL, "--version", "4");

    assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(ambiguous.err()).contains("model 'fault-classifier' has 2 canary deployments on 127.0.0.1:"
        + " 'model-fault-classifier-4-canary' (version 4,").contains("'fc-3-canary' (version 3,")
        .contains("say which with --version");
    assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    assertThat(hub.configurations).containsOnlyKeys("fc-3-canary");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "status  | wrong key      | 78 | listing the deployments on 127.0.0.1: unauthorized",
    "promote | wrong key      | 78 | listing the deployments on 127.0.0.1: unauthorized",
    "abort   | wrong key      | 78 | listing the deployments on 127.0.0.1: unauthorized",
    "status  | hub error      | 70 | listing the deployments on 127.0.0.1: the hub answered HTTP 500",
    "promote | not json       | 70 | listing the deployments on 127.0.0.1: the hub answered HTTP 200 <html>",
    "abort   | unreachable    | 69 | listing the deployments: cannot reach 127.0.0.1:",
    "status  | no connection  | 2  | --hub-connection-string: missing",
  })
  void hubFailuresEndWithTheirExitCodes(String command, String failure, int exitCode, String message) {
    String connection = server.hubConnectionString();
    switch (failure) {
      case "wrong key" -> connection = connection.replace(FakeAzure.HUB_KEY,
          "BBECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
      case "hub error" -> server.answer = request -> FakeAzure.respond(500,
          "{\"Message\":\"ErrorCode:ServerError;test\"}", "Content-Type", "application/json");
      case "not json" -> server.answer = request -> FakeAzure.respond(200, "<html>sign in</html>",
          "Content-Type", "text/html");
      case "unreachable" -> server.close();
      default -> connection = null;
    }
    List<String> args = new ArrayList<>(List.of("model", command, MODEL, "--timeout", "10s"));
    if (connection != null) {
      args.addAll(List.of("--hub-connection-string", connection));
    }

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).startsWith("edge model " + command + ": ").contains(message);
  }
}
