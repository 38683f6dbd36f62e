package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.DEVICE;
import static io.edgeai4j.edgehub.contract.ContractEdge.RECEIVER;
import static io.edgeai4j.edgehub.contract.ContractEdge.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A module's output reaches another module's routed input through the endpoint, with the real SDK and with
 * edgeai4j's transports on both ends; what each client hands to module code is asserted exactly.
 */
class MessagingContractTest extends ContractEdgeTestBase {
  private static final Duration ARRIVAL = Duration.ofSeconds(10);

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void anOutputArrivesOnTheRoutedInputWithItsSystemProperties(ClientKind kind) throws Exception {
    Map<String, String> applicationProperties = Map.of(
        "sensor", "line 2/7",
        "unit", "°C + offset",
        "formula", "a=b&c");
    EdgeMessage sent = EdgeMessage.builder()
        .body("reading 1".getBytes(StandardCharsets.UTF_8))
        .messageId("m-1")
        .correlationId("c-1")
        .contentType("text/plain")
        .contentEncoding("utf-8")
        .properties(applicationProperties)
        .build();
    try (ContractClient receiver = kind.connect(edge.connectionEnvironment(RECEIVER));
         ContractClient sender = kind.connect(edge.connectionEnvironment(SENDER))) {
      sender.send("out", sent);

      Delivered delivered = receiver.nextInput(ARRIVAL);

      assertThat(delivered).as("the routed message on receiver/inputs/in").isNotNull();
      assertThat(delivered.inputName()).isEqualTo("in");
      assertThat(delivered.text()).isEqualTo("reading 1");
      assertThat(delivered.systemProperties())
          .containsEntry(SystemProperties.MESSAGE_ID, "m-1")
          .containsEntry(SystemProperties.CORRELATION_ID, "c-1")
          .containsEntry(SystemProperties.CONTENT_TYPE, "text/plain")
          .containsEntry(SystemProperties.CONTENT_ENCODING, "utf-8");
      switch (kind) {
        case SDK -> {
          // SDK 2.5.0 parses the property bag from the first "%24" of the topic; edgeHub (and the endpoint) put
          // application properties first, so the SDK takes them for part of the topic and drops them. What it
          // does parse, the sender's ids ($.cdid, $.cmid), it hands over as application properties under their
          // wire names; its connectionModuleId is the receiving module, read from the topic.
          assertThat(delivered.properties()).containsExactlyInAnyOrderEntriesOf(
              Map.of("$.cdid", DEVICE, "$.cmid", SENDER));
          assertThat(delivered.systemProperties())
              .containsEntry(SystemProperties.CONNECTION_MODULE_ID, RECEIVER);
        }
        case AZURE_IOT_EDGE -> {
          // The same SDK underneath: application properties lost; the transport maps $.cdid/$.cmid back.
          assertThat(delivered.properties()).isEmpty();
          assertThat(delivered.systemProperties())
              .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, DEVICE)
              .containsEntry(SystemProperties.CONNECTION_MODULE_ID, SENDER)
              .containsEntry(SystemProperties.INPUT_NAME, "in");
        }
        case EDGEHUB_MQTT -> {
          // edgeai4j's own transport parses the whole bag: application properties arrive intact.
          assertThat(delivered.properties()).containsExactlyInAnyOrderEntriesOf(applicationProperties);
          assertThat(delivered.systemProperties())
              .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, DEVICE)
              .containsEntry(SystemProperties.CONNECTION_MODULE_ID, SENDER)
              .containsEntry(SystemProperties.INPUT_NAME, "in");
        }
        default -> throw new AssertionError(kind);
      }
      assertThat(receiver.nextInput(Duration.ofMillis(200))).as("delivered once").isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void aBodyConditionRoutesJsonAndDropsWhatDoesNotMatch(ClientKind kind) throws Exception {
    try (ContractClient receiver = kind.connect(edge.connectionEnvironment(RECEIVER));
         ContractClient sender = kind.connect(edge.connectionEnvironment(SENDER))) {
      sender.send("json", json("{\"temperature\":20.5,\"id\":\"cold\"}"));
      sender.send("json", json("{\"temperature\":35.0,\"id\":\"hot\"}"));

      Delivered first = receiver.nextInput(ARRIVAL);

      // One route, one queue, first in first out: had the cold reading been routed, it would come first.
      assertThat(first).as("the reading that matches $body.temperature > 30").isNotNull();
      assertThat(first.inputName()).isEqualTo("hot");
      assertThat(first.text()).isEqualTo("{\"temperature\":35.0,\"id\":\"hot\"}");
      await().atMost(ARRIVAL).untilAsserted(() -> assertThat(edge.hub().queueLengths().values())
          .as("nothing else is queued once the hot reading is acknowledged").allMatch(n -> n == 0));
      assertThat(receiver.nextInput(Duration.ofMillis(200))).isNull();
    }
  }

  private static EdgeMessage json(String body) {
    return EdgeMessage.builder()
        .body(body.getBytes(StandardCharsets.UTF_8))
        .contentType("application/json")
        .contentEncoding("utf-8")
        .build();
  }
}
