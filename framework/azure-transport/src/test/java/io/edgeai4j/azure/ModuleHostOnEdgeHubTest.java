package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The container path end to end: a module on the framework's {@link ModuleHost}, over the real SDK, against
 * a broker that speaks edgeHub's MQTT surface. Twin binding, input to output, a version gap that makes the
 * host read the whole twin, a direct method, reported configuration status, and a graceful stop.
 */
class ModuleHostOnEdgeHubTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEVICE = AzureModuleTransportTest.DEVICE;
  private static final String MODULE = AzureModuleTransportTest.MODULE;

  @Test
  void aModuleRunsOnEdgeHubThroughTheRealSdk(@TempDir Path temp) throws Exception {
    TestPki pki = TestPki.create();
    try (FakeEdgeHub hub = new FakeEdgeHub(pki).start()) {
      hub.twinJson.set("{\"desired\":{\"threshold\":5,\"$version\":3},\"reported\":{\"$version\":1}}");
      ModuleTransport transport = new AzureTransportProvider(AzureModuleTransportTest.testOptions()).create(Map.of(
          AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, AzureModuleTransportTest.connectionString(),
          AzureTransportProvider.CA_CERTIFICATE_FILE, pki.writeCaPem(temp).toString()));
      ThresholdModule module = new ThresholdModule();
      List<Integer> thresholds = module.thresholds;
      ModuleHost host = module.hostOn(transport);
      try {
        assertThat(thresholds).containsExactly(5);
        await().atMost(Duration.ofSeconds(10)).until(host::isReady);

        hub.publishInput(AzureModuleTransportTest.INPUTS + "in/%24.mid=in-1&%24.cdid=" + DEVICE + "&%24.cmid=sensor",
            "{\"n\":7}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.events(DEVICE, MODULE).stream()
            .anyMatch(e -> e.text().equals("{\"seen\":7}")));
        FakeEdgeHub.Publication out = hub.events(DEVICE, MODULE).stream()
            .filter(e -> e.text().equals("{\"seen\":7}")).findFirst().orElseThrow();
        assertThat(FakeEdgeHub.wireProperties(out.topic()))
            .containsEntry("$.on", "out").containsEntry("$.ct", "application%2Fjson").containsEntry("$.ce", "utf-8");

        hub.publishDesiredPatch(4, "{\"threshold\":9,\"$version\":4}");
        await().atMost(Duration.ofSeconds(10)).until(() -> thresholds.contains(9));

        // A patch that skips versions 5: the host reads the whole twin, which wins over the patch.
        hub.twinJson.set("{\"desired\":{\"threshold\":11,\"$version\":6},\"reported\":{\"$version\":2}}");
        hub.publishDesiredPatch(6, "{\"threshold\":10,\"$version\":6}");
        await().atMost(Duration.ofSeconds(20)).until(() -> thresholds.get(thresholds.size() - 1) == 11);

        FakeEdgeHub.Publication answer = hub.callMethod("threshold", "{}", 10_000);
        assertThat(answer.topic()).startsWith("$iothub/methods/res/200/");
        assertThat(JSON.readTree(answer.payload()).asInt()).isEqualTo(11);

        await().atMost(Duration.ofSeconds(10)).until(() -> hub.receivedOn("$iothub/twin/PATCH/properties/reported/")
            .stream().anyMatch(p -> p.text().contains("configurationStatus") && p.text().contains("applied")));
      } finally {
        host.stop();
      }
      assertThat(host.state()).isEqualTo(ModuleHost.State.STOPPED);
    }
  }
}
