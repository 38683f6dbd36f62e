package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.JSON;
import static io.edgeai4j.edgehub.contract.ContractEdge.RECEIVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.MethodResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Twin GET, reported patches, desired-patch notifications and direct methods through the endpoint. */
class TwinAndMethodContractTest extends ContractEdgeTestBase {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void twinGetReportedPatchAndDesiredNotification(ClientKind kind) throws Exception {
    try (ContractClient receiver = kind.connect(edge.connectionEnvironment(RECEIVER))) {
      ObjectNode desired = receiver.desiredProperties();
      assertThat(desired.path("threshold").asInt()).as("desired from the manifest: " + desired).isEqualTo(30);
      assertThat(desired.has("$version")).as("desired carries its $version: " + desired).isTrue();
      long version = desired.get("$version").asLong();

      receiver.reportProperties(JSON.createObjectNode().put("status", "running").put("count", 3));
      ObjectNode reported = edge.hub().twin(RECEIVER).reported();
      assertThat(reported.path("status").asText()).as("reported in the hub's twin: " + reported).isEqualTo("running");
      assertThat(reported.path("count").asInt()).isEqualTo(3);

      edge.hub().patchDesired(RECEIVER, JSON.createObjectNode().put("threshold", 40));
      await().atMost(WAIT).until(() -> !receiver.desiredPatches().isEmpty());
      ObjectNode patch = receiver.desiredPatches().get(0);
      assertThat(patch.path("threshold").asInt()).as("the patch: " + patch).isEqualTo(40);
      assertThat(patch.path("$version").asLong()).as("the patch's $version: " + patch).isEqualTo(version + 1);
      assertThat(receiver.desiredProperties().path("threshold").asInt()).isEqualTo(40);
    }
  }

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void aDirectMethodRoundTrips(ClientKind kind) throws Exception {
    try (ContractClient receiver = kind.connect(edge.connectionEnvironment(RECEIVER))) {
      ObjectNode request = JSON.createObjectNode().put("x", 1).put("label", "a b&c");

      MethodResponse response = edge.hub().invokeMethod(RECEIVER, "echo", request, WAIT);

      assertThat(response.status()).as("status of " + response).isEqualTo(200);
      ObjectNode expected = JSON.createObjectNode().put("method", "echo");
      expected.set("request", request);
      assertThat(response.payload()).isEqualTo(expected);
    }
  }
}
