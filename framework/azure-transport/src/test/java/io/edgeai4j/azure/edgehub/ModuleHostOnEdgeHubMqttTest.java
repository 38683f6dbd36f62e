package io.edgeai4j.azure.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.azure.FakeEdgeHub;
import io.edgeai4j.azure.TestPki;
import io.edgeai4j.azure.ThresholdModule;
import io.edgeai4j.module.host.ModuleHost;
import io.edgeai4j.module.spi.ModuleTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container path on the edgehub-mqtt transport: a module on the framework's {@link ModuleHost} against the
 * fake edgeHub. Twin binding, an input whose application property (written before the system properties, as edgeHub
 * writes them) reaches the handler and travels on to the output, a desired patch, a direct method, a graceful stop.
 */
class ModuleHostOnEdgeHubMqttTest {
  @Test
  void aModuleRunsOnEdgeHubThroughEdgehubMqtt(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      hub.twinJson.set("{\"desired\":{\"threshold\":5,\"$version\":3},\"reported\":{\"$version\":1}}");
      ModuleTransport transport = new EdgeHubMqttTransportProvider(EdgeHubMqttTransportTest.testOptions().build())
          .create(Map.of(
              EdgeHubMqttTransportProvider.EDGE_HUB_CONNECTION_STRING,
              EdgeHubMqttTransportTest.connectionString("hosted"),
              EdgeHubMqttTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString()));
      ThresholdModule module = new ThresholdModule();
      List<Integer> thresholds = module.thresholds;
      ModuleHost host = module.hostOn(transport);
      try {
        assertThat(thresholds).containsExactly(5);
        await().atMost(Duration.ofSeconds(10)).until(host::isReady);

        hub.publishInput(EdgeHubMqttTransportTest.inputs("hosted") + "in/site=north&%24.mid=in-1&%24.cdid="
            + EdgeHubMqttTransportTest.DEVICE + "&%24.cmid=sensor", "{\"n\":7}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.events(EdgeHubMqttTransportTest.DEVICE, "hosted")
            .stream().anyMatch(e -> e.text().equals("{\"seen\":7}")));
        FakeEdgeHub.Publication out = hub.events(EdgeHubMqttTransportTest.DEVICE, "hosted").stream()
            .filter(e -> e.text().equals("{\"seen\":7}")).findFirst().orElseThrow();
        assertThat(FakeEdgeHub.wireProperties(out.topic()))
            .containsEntry("$.on", "out").containsEntry("$.ct", "application%2Fjson").containsEntry("site", "north");

        hub.publishDesiredPatch(4, "{\"threshold\":9,\"$version\":4}");
        await().atMost(Duration.ofSeconds(10)).until(() -> thresholds.contains(9));

        FakeEdgeHub.Publication answer = hub.callMethod("threshold", "{}", 10_000);
        assertThat(answer.topic()).startsWith("$iothub/methods/res/200/");
        assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).isEqualTo("9");
      } finally {
        host.stop();
      }
      assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    }
  }
}
