package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.host.ModuleHost;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.retry.BackoffPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's redelivery over the real SDK ({@code azure-iot-edge}): a message its handler always abandons is
 * offered again by the host, not by the transport, then dead-lettered to the output {@code deadLetters} and
 * acknowledged; and, as the README says, the SDK's one callback thread makes a direct method wait until then.
 */
class RedeliveryOnTheSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEVICE = AzureModuleTransportTest.DEVICE;
  private static final String MODULE = AzureModuleTransportTest.MODULE;

  @Test
  void anAlwaysAbandonedInputIsDeadLetteredAndHoldsUpMethodsMeanwhile(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      hub.twinJson.set("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
      ModuleTransport transport = new AzureTransportProvider(AzureModuleTransportTest.testOptions()).create(Map.of(
          AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
          AzureTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString()));
      AtomicInteger offers = new AtomicInteger();
      EdgeModule module = ctx -> {
        ctx.onInput("in", message -> {
          offers.incrementAndGet();
          return MessageDisposition.ABANDON;
        });
        ctx.onMethod("offers", request -> MethodResponse.ok(IntNode.valueOf(offers.get())));
      };
      ModuleHost host = ModuleHost.builder().module(module).transport(transport)
          .metricsRegistry(new PrometheusRegistry())
          .redeliveryBackoff(BackoffPolicy.exponential(Duration.ofMillis(400), Duration.ofMillis(400)).withJitter(0))
          .maxDeliveryAttempts(3)
          .build();
      host.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(host::isReady);

        hub.publishInput(AzureModuleTransportTest.INPUTS + "in/%24.mid=poison-1&%24.cdid=" + DEVICE
            + "&%24.cmid=sensor", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> offers.get() >= 1);
        // The input callback is busy until the message is dead-lettered (two waits of 400 ms), and the SDK runs
        // method callbacks on the same thread: the method sees all three offers.
        FakeEdgeHub.Publication answer = hub.callMethod("offers", "{}", 10_000);
        assertThat(answer.topic()).startsWith("$iothub/methods/res/200/");
        assertThat(JSON.readTree(answer.payload()).asInt()).isEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> hub.events(DEVICE, MODULE).stream()
            .anyMatch(e -> FakeEdgeHub.wireProperties(e.topic()).containsKey("deadLetterReason")));
        FakeEdgeHub.Publication letter = hub.events(DEVICE, MODULE).stream()
            .filter(e -> FakeEdgeHub.wireProperties(e.topic()).containsKey("deadLetterReason")).findFirst()
            .orElseThrow();
        assertThat(letter.text()).isEqualTo("{\"n\":1}");
        assertThat(FakeEdgeHub.wireProperties(letter.topic()))
            .containsEntry("$.on", "deadLetters")
            .containsEntry("$.mid", "poison-1")
            .containsEntry("deliveryAttempts", "3")
            .containsEntry("deadLetterInput", "in");
        assertThat(offers).as("offered by the host only, and acknowledged after the dead letter").hasValue(3);
        // The transport does not offer it again: it was acknowledged.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> offers.get() == 3);
      } finally {
        host.stop();
      }
    }
  }
}
