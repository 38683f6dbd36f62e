package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.RECEIVER;
import static io.edgeai4j.edgehub.contract.ContractEdge.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.edgehub.NoopListener;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.ModuleTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The endpoint (or the whole edge, hub included) stops while messages for a connected module are stored, and starts
 * again on the same state directory (and store): the client reconnects by itself (same keys, same CA) and gets the
 * stored messages, in order.
 */
class ReconnectContractTest extends ContractEdgeTestBase {
  /** The SDK's default retry policy backs off up to 10 s between attempts. */
  private static final Duration RECONNECT = Duration.ofSeconds(40);

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void aModuleReconnectsAfterTheEndpointRestartsAndGetsTheMessagesStoredForIt(ClientKind kind) throws Exception {
    try (ContractClient receiver = kind.connect(edge.connectionEnvironment(RECEIVER))) {
      await().atMost(RECONNECT).until(receiver::connected);
      edge.stopEndpoint();
      await("the client notices the endpoint is gone").atMost(RECONNECT).until(() -> !receiver.connected());

      // While the endpoint is down the sender runs in-process, as edge run's own modules do: the hub stores
      // its messages in the receiver's queue.
      ModuleTransport sender = edge.hub().transportFor(SENDER);
      sender.open(new NoopListener());
      for (int i = 1; i <= 3; i++) {
        sender.send("out", EdgeMessage.builder().body(("stored " + i).getBytes()).messageId("stored-" + i).build());
      }
      sender.close();
      assertThat(edge.hub().queueLengths().values().stream().mapToInt(Integer::intValue).sum())
          .as("stored for the receiver: " + edge.hub().queueLengths()).isEqualTo(3);

      edge.startEndpoint();

      List<String> bodies = new ArrayList<>();
      await().atMost(RECONNECT).until(() -> {
        Delivered next = receiver.nextInput(Duration.ofMillis(100));
        if (next != null) {
          assertThat(next.inputName()).isEqualTo("in");
          bodies.add(next.text());
        }
        return bodies.size() >= 3;
      });
      assertThat(bodies).containsExactly("stored 1", "stored 2", "stored 3");
      assertThat(receiver.connected()).isTrue();
      assertThat(receiver.nextInput(Duration.ofMillis(200))).as("each delivered once").isNull();
    }
  }

  /**
   * The whole local edge stops (endpoint and hub, as {@code edge run} stops) while messages wait for a module, and
   * starts again on the same store and state directory: the real SDK client reconnects by itself and gets them, once
   * and in order. The messages outlive the hub object here, not only the endpoint.
   */
  @Test
  void anSdkModuleGetsTheMessagesStoredBeforeTheWholeEdgeStoppedAfterItStartsAgain() throws Exception {
    try (ContractClient receiver = ClientKind.SDK.connect(edge.connectionEnvironment(RECEIVER))) {
      await().atMost(RECONNECT).until(receiver::connected);
      edge.stopEndpoint();
      await("the client notices the endpoint is gone").atMost(RECONNECT).until(() -> !receiver.connected());
      ModuleTransport sender = edge.hub().transportFor(SENDER);
      sender.open(new NoopListener());
      for (int i = 1; i <= 3; i++) {
        sender.send("out", EdgeMessage.builder().body(("kept " + i).getBytes()).messageId("kept-" + i).build());
      }
      sender.close();

      edge.restartAll();
      assertThat(edge.hub().queueLengths()).as("read back from the store").containsEntry(RECEIVER + "/in", 3);

      List<String> bodies = new ArrayList<>();
      await().atMost(RECONNECT).until(() -> {
        Delivered next = receiver.nextInput(Duration.ofMillis(100));
        if (next != null) {
          bodies.add(next.text());
        }
        return bodies.size() >= 3;
      });
      assertThat(bodies).containsExactly("kept 1", "kept 2", "kept 3");
      assertThat(receiver.nextInput(Duration.ofMillis(200))).as("each delivered once").isNull();
    }
  }
}
