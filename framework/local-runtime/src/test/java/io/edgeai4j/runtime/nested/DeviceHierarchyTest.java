package io.edgeai4j.runtime.nested;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.link.EmulatedLink;
import io.edgeai4j.runtime.link.LinkOptions;
import io.edgeai4j.runtime.link.LinkSpec;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.edgeai4j.runtime.testing.RecordingModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real manifests as a child and a parent device, the child's $upstream crossing an emulated link. */
class DeviceHierarchyTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final RecordingModule probe = new RecordingModule("fromSensor");
  private final RecordingModule producer = new RecordingModule();
  private DeviceHierarchy hierarchy;

  @AfterEach
  void stop() {
    if (hierarchy != null) {
      hierarchy.close();
    }
  }

  /** The child: the simulated temperature sensor, everything it sends to $upstream (its parent). */
  private static final String SENSOR_DEVICE = """
      {"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
          "tempSensor": {"type": "docker", "status": "running",
                         "settings": {"image": "edgeai4j/simulated-temperature-sensor:0.1.0-amd64"}}}}},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {
          "up": "FROM /messages/modules/tempSensor/outputs/* INTO $upstream"}}},
        "tempSensor": {"properties.desired": {"sendIntervalMillis": 20, "messageCount": 40}}
      }}
      """;

  /**
   * The parent: the threshold filter takes what device 'sensor' sends (a $connectionDeviceId route), the probe keeps
   * a copy; a route on the sensor module's outputs matches nothing, since no outputName crosses.
   */
  private static final String NODE_DEVICE = """
      {"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
          "filter": {"type": "docker", "status": "running", "startupOrder": 1,
                     "settings": {"image": "edgeai4j/threshold-filter:0.1.0-amd64"}},
          "probe": {"type": "docker", "status": "running", "startupOrder": 1,
                    "settings": {"image": "test/probe:1"}}}}},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {
          "sensorToFilter": "FROM /messages/* WHERE $connectionDeviceId = 'sensor' INTO BrokeredEndpoint(\\"/modules/filter/inputs/readings\\")",
          "sensorToProbe": {"route": "FROM /messages/* WHERE $connectionDeviceId = 'sensor' INTO BrokeredEndpoint(\\"/modules/probe/inputs/fromSensor\\")", "priority": 2, "timeToLiveSecs": 60},
          "byOutputName": "FROM /messages/modules/tempSensor/outputs/* INTO $upstream",
          "alerts": "FROM /messages/modules/filter/outputs/alerts INTO $upstream"}}},
        "filter": {"properties.desired": {"field": "machine.temperature", "threshold": 25}}
      }}
      """;

  private RuntimeOptions.Builder options() {
    List<EdgeModuleFactory> factories = new ArrayList<>();
    ServiceLoader.load(EdgeModuleFactory.class).forEach(factories::add);
    factories.add(probe.factory("probe"));
    factories.add(producer.factory("producer"));
    return RuntimeOptions.builder()
        .upstreamFile(dir.resolve("upstream.jsonl"))
        .console(null)
        .adminPort(0)
        .adminTokenFile(dir.resolve("admin.token"))
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(2))
        .factories(factories);
  }

  private static Map<String, DeploymentManifest> devices(String... nameAndManifest)
      throws io.edgeai4j.runtime.manifest.ManifestException {
    Map<String, DeploymentManifest> devices = new LinkedHashMap<>();
    for (int i = 0; i < nameAndManifest.length; i += 2) {
      devices.put(nameAndManifest[i], ManifestParser.parse(nameAndManifest[i + 1]));
    }
    return devices;
  }

  @Test
  void aChildsUpstreamReachesTheParentAsMessagesFromThatDevice() throws Exception {
    hierarchy = DeviceHierarchy.start(devices("sensor", SENSOR_DEVICE, "node", NODE_DEVICE),
        List.of(new DeviceLink("sensor", "node", LinkSpec.parse("10Mbit/20ms"))), options().build());
    LocalEdgeRuntime sensor = hierarchy.runtime("sensor");
    LocalEdgeRuntime node = hierarchy.runtime("node");

    await().atMost(Duration.ofSeconds(30)).until(() -> probe.on("fromSensor").size() == 40);
    List<EdgeMessage> got = probe.on("fromSensor");
    assertThat(got).extracting(m -> m.properties().get("sequenceNumber"))
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList());
    // As edgeHub's parent sees them: the child device and its module, no outputName; a JSON body still readable.
    assertThat(got).allSatisfy(m -> {
      assertThat(m.systemProperties())
          .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, "sensor")
          .containsEntry(SystemProperties.CONNECTION_MODULE_ID, "tempSensor")
          .containsEntry(SystemProperties.INPUT_NAME, "fromSensor")
          .containsEntry(SystemProperties.CONTENT_TYPE, "application/json")
          .containsKey(SystemProperties.MESSAGE_ID)
          .doesNotContainKey(SystemProperties.OUTPUT_NAME);
      assertThat(m.bodyAsJson().at("/machine/temperature").isNumber()).isTrue();
    });

    // The filter on the parent turns readings over 25 °C into alerts; they go to the parent's upstream file.
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamLines(node).size() >= 31);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> upstreamLines(node).size() == alertsExpected(got));
    assertThat(upstreamLines(node)).allSatisfy(l -> {
      assertThat(l.get("source").asText()).isEqualTo("/messages/modules/filter/outputs/alerts/");
      assertThat(l.at("/systemProperties/connectionDeviceId").asText()).isEqualTo("node");
    });

    // Devices apart: device ids, ports, the top alone writes the file; each link reports on its child's metrics.
    assertThat(sensor.hub().deviceId()).isEqualTo("sensor");
    assertThat(node.hub().deviceId()).isEqualTo("node");
    assertThat(sensor.upstreamFile()).isNull();
    assertThat(node.upstreamFile()).isEqualTo(dir.resolve("upstream.jsonl"));
    assertThat(Set.of(sensor.adminPort(), node.adminPort(), sensor.metricsPort(), node.metricsPort())).hasSize(4);
    assertThat(sensor.adminTokenFile()).isEqualTo(dir.resolve("sensor-admin.token"));
    assertThat(node.adminTokenFile()).isEqualTo(dir.resolve("node-admin.token"));
    assertThat(hierarchy.topology().top()).isEqualTo("node");
    EmulatedLink link = hierarchy.uplink("sensor").orElseThrow();
    assertThat(hierarchy.uplink("node")).isEmpty();
    assertThat(link.stats().messages()).isEqualTo(40);
    assertThat(scrape(sensor)).contains("edgeai4j_link_messages_sent_total{link=\"sensor-node\"} 40.0");
    assertThat(scrape(node))
        .contains("edgeai4j_hub_messages_from_child_devices_total{device=\"sensor\"} 40.0")
        .doesNotContain("edgeai4j_link_");
  }

  private static long alertsExpected(List<EdgeMessage> readings) {
    return readings.stream().filter(m -> m.bodyAsJson().at("/machine/temperature").asDouble() > 25).count();
  }

  /** A child with a recording producer; its route to $upstream has the given TTL. */
  private static String producerDevice(int ttlSecs) {
    return """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "producer": {"type": "docker", "status": "running", "settings": {"image": "test/producer:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {
            "up": {"route": "FROM /messages/modules/producer/outputs/* INTO $upstream", "timeToLiveSecs": %d}}}}
        }}
        """.formatted(ttlSecs);
  }

  private static final String PROBE_DEVICE = """
      {"modulesContent": {
        "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
          "probe": {"type": "docker", "status": "running", "settings": {"image": "test/probe:1"}}}}},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {
          "fromSensor": "FROM /messages/modules/producer/* WHERE $connectionDeviceId = 'sensor' INTO BrokeredEndpoint(\\"/modules/probe/inputs/fromSensor\\")"}}}
      }}
      """;

  @Test
  void whileTheLinkIsDownTheChildsStoreKeepsItsMessagesInOrderWithTheirTtl() throws Exception {
    hierarchy = DeviceHierarchy.start(devices("sensor", producerDevice(2), "node", PROBE_DEVICE),
        List.of(new DeviceLink("sensor", "node", LinkSpec.parse("100Mbit/5ms"))), options().build());
    LocalEdgeRuntime sensor = hierarchy.runtime("sensor");
    EmulatedLink link = hierarchy.uplink("sensor").orElseThrow();

    producer.send("out", EdgeMessage.builder().jsonBody("{\"n\": 0}").correlationId("c-0").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> probe.on("fromSensor").size() == 1);
    assertThat(probe.on("fromSensor").get(0).correlationId()).contains("c-0");

    link.down();
    for (int i = 1; i <= 3; i++) {
      producer.send("out", EdgeMessage.builder().jsonBody("{\"n\": " + i + "}").build());
    }
    // They wait in the child's $upstream store, not on the link, and expire there after the route's 2 s TTL.
    // (The hub's delivery thread holds one a moment each time it offers it, so the length is awaited.)
    await().atMost(Duration.ofSeconds(1)).until(() -> sensor.hub().queueLengths().get("$upstream") == 3);
    assertThat(link.stats().queued()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> sensor.hub().storeBytes() == 0);
    assertThat(scrape(sensor)).contains("edgeai4j_hub_messages_expired_total{endpoint=\"$upstream\"} 3.0");

    for (int i = 4; i <= 6; i++) {
      producer.send("out", EdgeMessage.builder().jsonBody("{\"n\": " + i + "}").build());
    }
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> probe.on("fromSensor").size() == 1);
    link.up();
    // Offered at once when the link comes up, not after the hub's 1 s redelivery delay.
    await().atMost(Duration.ofMillis(900)).until(() -> probe.on("fromSensor").size() == 4);
    assertThat(probe.on("fromSensor")).extracting(m -> m.bodyAsJson().get("n").asInt()).containsExactly(0, 4, 5, 6);
    assertThat(scrape(sensor)).contains("edgeai4j_link_deferred_total{link=\"sensor-node\",reason=\"down\"}");
  }

  @Test
  void closingStopsTheChildFirstSoWhatItSentStillReachesTheParent() throws Exception {
    hierarchy = DeviceHierarchy.start(devices("sensor", producerDevice(60), "node", PROBE_DEVICE),
        List.of(new DeviceLink("sensor", "node", LinkSpec.parse("1Mbit/100ms"))), options().build(),
        LinkOptions.builder().seed(1).build());
    for (int i = 0; i < 5; i++) {
      producer.send("out", EdgeMessage.builder().jsonBody("{\"n\": " + i + "}").build());
    }
    hierarchy.close();
    assertThat(probe.on("fromSensor")).extracting(m -> m.bodyAsJson().get("n").asInt())
        .containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aSingleDeviceWithoutLinksRunsAsEdgeRunDoes() throws Exception {
    hierarchy = DeviceHierarchy.start(devices("solo", SENSOR_DEVICE), List.of(), options().build());
    LocalEdgeRuntime solo = hierarchy.runtime("solo");
    assertThat(hierarchy.topology().top()).isEqualTo("solo");
    assertThat(solo.adminTokenFile()).isEqualTo(dir.resolve("admin.token"));
    await().atMost(Duration.ofSeconds(30)).until(() -> upstreamLines(solo).size() == 40);
    assertThat(upstreamLines(solo)).allSatisfy(l -> assertThat(l.at("/systemProperties/connectionDeviceId").asText())
        .isEqualTo("solo"));
  }

  @Test
  void aRefusedTopologyStartsNothing() throws Exception {
    assertThatThrownBy(() -> DeviceHierarchy.start(devices("sensor", SENSOR_DEVICE, "node", NODE_DEVICE),
        List.of(new DeviceLink("sensor", "gw", LinkSpec.parse("10Mbit/20ms"))), options().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("link sensor-gw: unknown device 'gw'; devices given: [sensor, node]");
    assertThat(dir.resolve("upstream.jsonl")).doesNotExist();
  }

  @Test
  void aDeviceThatCannotStartStopsTheOthersAndIsNamed() throws Exception {
    // The second device's metrics port (base + 1) is taken; the first's (base) is free.
    try (java.net.ServerSocket busy = portWithAFreeOneBelow()) {
      int base = busy.getLocalPort() - 1;
      assertThatThrownBy(() -> DeviceHierarchy.start(devices("node", PROBE_DEVICE, "sensor", producerDevice(60)),
          List.of(new DeviceLink("sensor", "node", LinkSpec.parse("10Mbit/20ms"))),
          options().metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), base)).build()))
          .isInstanceOf(io.edgeai4j.runtime.RuntimeStartException.class)
          .hasMessageStartingWith("device 'sensor': ")
          .hasMessageContaining(String.valueOf(busy.getLocalPort()));
    }
    // The parent, started first, was stopped again: stopping removes its admin token file.
    assertThat(dir.resolve("node-admin.token")).doesNotExist();
  }

  /** A bound loopback port whose port number minus one was free a moment ago. */
  private static java.net.ServerSocket portWithAFreeOneBelow() throws IOException {
    for (int i = 0; i < 50; i++) {
      java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      try (java.net.ServerSocket below = new java.net.ServerSocket(busy.getLocalPort() - 1, 1,
          InetAddress.getLoopbackAddress())) {
        return busy;
      } catch (IOException e) {
        busy.close();
      }
    }
    throw new IllegalStateException("no loopback port with a free one below it in 50 tries");
  }

  private static List<JsonNode> upstreamLines(LocalEdgeRuntime runtime) throws IOException {
    Path file = runtime.upstreamFile();
    if (!Files.exists(file)) {
      return List.of();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(MAPPER.readTree(line));
    }
    return lines;
  }

  private static String scrape(LocalEdgeRuntime runtime) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
