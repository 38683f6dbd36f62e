package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.edgehub.EdgeHubEndpoint;
import io.edgeai4j.edgehub.EndpointOptions;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.HubOptions;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * edgeai4j's own modules as separate processes against the endpoint, as containers would run them: the simulated
 * temperature sensor and the threshold filter, each {@code java ... EdgeModuleMain <image id>} with only its
 * module environment ({@code EdgeHubConnectionString}, {@code EdgeModuleCACertificateFile}) and no
 * {@code EDGEAI4J_TRANSPORT}, so {@code EdgeModuleMain} picks its default transport. The sensor's readings are
 * routed to the filter, whose alerts are routed to a module the test connects with {@code edgehub-mqtt}; twins
 * configure both processes and a direct method reads the filter's counts.
 */
class ModulesAsProcessesContractTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int READINGS = 20;

  @TempDir
  Path directory;
  private final List<Process> processes = new ArrayList<>();
  private UpstreamWriter upstream;
  private LocalEdgeHub hub;
  private EdgeHubEndpoint endpoint;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (hub != null) {
      hub.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void theSensorAndTheFilterRunAsProcessesAndTheirAlertsArriveWithTheirProperties() throws Exception {
    ObjectNode sensor = JSON.createObjectNode().put("sendIntervalMillis", 50).put("messageCount", READINGS)
        .put("machineTemperatureStart", 21.0).put("machineTemperatureStep", 1.0);
    ObjectNode filter = JSON.createObjectNode().put("field", "machine.temperature").put("threshold", 30.0);
    upstream = new UpstreamWriter(directory.resolve("upstream.jsonl"), System.out);
    hub = new LocalEdgeHub(HubOptions.builder()
        .deviceId(ContractEdge.DEVICE)
        .module("sensor", sensor)
        .module("filter", filter)
        .module("sink", JSON.createObjectNode())
        .routes(List.of(
            new RouteSpec("readings", Route.parse("FROM /messages/modules/sensor/outputs/temperatureOutput"
                + " INTO BrokeredEndpoint(\"/modules/filter/inputs/readings\")")),
            new RouteSpec("alerts", Route.parse("FROM /messages/modules/filter/outputs/alerts"
                + " INTO BrokeredEndpoint(\"/modules/sink/inputs/alerts\")"))))
        .upstream(upstream)
        .build(), new PrometheusRegistry());
    ContractEdge.requireSdkPortFree();
    endpoint = EdgeHubEndpoint.start(hub, EndpointOptions.builder()
        .stateDirectory(directory.resolve("endpoint-state"))
        .mqttAddress(new InetSocketAddress(ContractEdge.HOST, ContractEdge.SDK_PORT))
        .iotHubHostName(ContractEdge.IOT_HUB)
        .build(), new PrometheusRegistry());

    try (ContractClient sink = ClientKind.EDGEHUB_MQTT.connect(endpoint.connectionStringEnvironment("sink"))) {
      start("filter", "threshold-filter");
      start("sensor", "simulated-temperature-sensor");

      // Every reading reaches the filter, which counts it either way.
      await().atMost(WAIT).until(() -> {
        JsonNode stats = stats();
        return stats != null && stats.path("forwarded").asLong() + stats.path("belowThreshold").asLong() == READINGS;
      });
      JsonNode stats = stats();
      assertThat(stats.path("rejected").asLong()).as(stats.toString()).isZero();
      long forwarded = stats.path("forwarded").asLong();
      assertThat(forwarded).as("readings above 30 °C, from 21 °C rising 1 °C a reading: " + stats).isBetween(8L, 12L);

      List<Delivered> alerts = new ArrayList<>();
      await().atMost(WAIT).until(() -> {
        Delivered next = sink.nextInput(Duration.ofMillis(100));
        if (next != null) {
          alerts.add(next);
        }
        return alerts.size() >= forwarded;
      });
      for (Delivered alert : alerts) {
        assertThat(alert.inputName()).isEqualTo("alerts");
        assertThat(alert.properties()).as(alert.toString())
            .containsEntry("alert", "true").containsEntry("threshold", "30.0");
        assertThat(JSON.readTree(alert.body()).path("machine").path("temperature").asDouble())
            .as(alert.toString()).isGreaterThan(30.0);
      }
      assertThat(sink.nextInput(Duration.ofMillis(300))).as("no more alerts than forwarded").isNull();
    }
  }

  private JsonNode stats() {
    MethodResponse response = hub.invokeMethod("filter", "stats", JSON.createObjectNode(), Duration.ofSeconds(5));
    return response.status() == 200 ? response.payload() : null;
  }

  private void start(String moduleId, String imageId) throws Exception {
    Path log = directory.resolve(moduleId + ".log");
    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        "io.edgeai4j.module.host.EdgeModuleMain", imageId)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("IOTEDGE_") || name.startsWith("EDGEAI4J_")
        || name.equals("EdgeHubConnectionString") || name.equals("IotHubConnectionString")
        || name.equals("EdgeModuleCACertificateFile"));
    environment.putAll(endpoint.connectionStringEnvironment(moduleId));
    environment.put("EDGEAI4J_METRICS_PORT", "0");
    Process process = builder.start();
    processes.add(process);
    await().atMost(WAIT).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError(moduleId + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      return endpoint.connectedModules().contains(moduleId);
    });
    // No EDGEAI4J_TRANSPORT: EdgeModuleMain takes the available provider with the highest priority.
    assertThat(Files.readString(log)).as(moduleId + "'s log").contains("Transport 'edgehub-mqtt' chosen");
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
