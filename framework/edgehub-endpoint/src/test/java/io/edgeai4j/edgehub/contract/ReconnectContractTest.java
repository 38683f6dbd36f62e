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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The endpoint stops while messages for a connected module are stored, and starts again on the same state
 * directory: the client reconnects by itself (same keys, same CA) and gets the stored messages, in order.
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
}
