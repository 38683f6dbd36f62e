package io.edgeai4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.runtime.manifest.ManifestParser;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small manifests end to end: real routes, queues, twins, methods, admin and metrics endpoints. */
class LocalEdgeRuntimeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final ProbeModule producer = new ProbeModule(List.of());
  private final ProbeModule consumer = new ProbeModule(List.of("hot", "all", "ordered"));
  private final List<LocalEdgeRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void stop() {
    consumer.gate = new CountDownLatch(0);
    runtimes.forEach(LocalEdgeRuntime::close);
  }

  private LocalEdgeRuntime run(String routesJson, String extraModules, String twins) throws Exception {
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "producer": {"type": "docker", "status": "running", "startupOrder": 2,
                         "settings": {"image": "test/producer:1"}},
            "consumer": {"type": "docker", "status": "running", "startupOrder": 1,
                         "settings": {"image": "test/consumer:1"}}
            %s }}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
                       "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "consumer": {"properties.desired": {"label": "first"}}
          %s
        }}
        """.formatted(extraModules, routesJson, twins);
    return start(manifest, options("upstream.jsonl")
        .factories(List.of(ProbeModule.factory("producer", producer), ProbeModule.factory("consumer", consumer))));
  }

  /** Options for a test runtime: its own upstream file, registry and ephemeral ports, no console echo. */
  private RuntimeOptions.Builder options(String upstreamFile) {
    return RuntimeOptions.builder()
        .upstreamFile(dir.resolve(upstreamFile))
        .console(null)
        .adminPort(0)
        .adminTokenFile(dir.resolve(upstreamFile + ".admin-token"))
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registry(new PrometheusRegistry())
        .drainTimeout(Duration.ofSeconds(2));
  }

  /** Starts a manifest; the runtime is closed after the test. */
  private LocalEdgeRuntime start(String manifest, RuntimeOptions.Builder options) throws Exception {
    LocalEdgeRuntime runtime = LocalEdgeRuntime.start(ManifestParser.parse(manifest), options.build());
    runtimes.add(runtime);
    return runtime;
  }

  /** A manifest where module 'producer' sends everything to the external module 'external'. */
  private static String producerToExternal(String storeAndForwardConfiguration) {
    return """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "producer": {"type": "docker", "settings": {"image": "test/producer:1"}},
            "external": {"type": "docker", "settings": {"image": "contoso/other:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1",
            "routes": {"r": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/external/inputs/in\\")"},
            "storeAndForwardConfiguration": %s}}
        }}
        """.formatted(storeAndForwardConfiguration);
  }

  private static EdgeMessage json(String json, String... properties) {
    EdgeMessage.Builder b = EdgeMessage.builder().jsonBody(json);
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return b.build();
  }

  @Test
  void bodyConditionRoutesOnlyJsonMessagesThatMatch() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"hot": "FROM /messages/modules/producer/outputs/temps WHERE $body.machine.temperature > 30 INTO BrokeredEndpoint(\\"/modules/consumer/inputs/hot\\")"}
        """, "", "");
    producer.context.send("temps", json("{\"machine\":{\"temperature\":35}}"));
    producer.context.send("temps", json("{\"machine\":{\"temperature\":20}}"));
    // Same body but no contentType: edgeHub evaluates $body to undefined, so it does not route.
    producer.context.send("temps", EdgeMessage.builder()
        .body("{\"machine\":{\"temperature\":40}}".getBytes(StandardCharsets.UTF_8)).build());
    producer.context.send("other", json("{\"machine\":{\"temperature\":99}}"));
    // application/json without an encoding: the SDK sends utf-8 with it, so edgeHub (and edge run) can read $body.
    producer.context.send("temps", EdgeMessage.builder().contentType("application/json")
        .body("{\"machine\":{\"temperature\":45}}".getBytes(StandardCharsets.UTF_8)).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.received.size() == 2);
    assertThat(consumer.received.get(1).message().contentEncoding()).contains("utf-8");
    ProbeModule.Received hot = consumer.received.get(0);
    assertThat(hot.input()).isEqualTo("hot");
    assertThat(hot.message().bodyAsJson().at("/machine/temperature").asInt()).isEqualTo(35);
    assertThat(hot.message().systemProperties())
        .containsEntry(SystemProperties.CONNECTION_MODULE_ID, "producer")
        .containsEntry(SystemProperties.OUTPUT_NAME, "temps")
        .containsEntry(SystemProperties.INPUT_NAME, "hot")
        .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, "local-edge-device");
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.hub().storeBytes() == 0);
    String metrics = scrape(runtime);
    assertThat(metrics).contains(
        "edgeai4j_hub_messages_unrouted_total{source=\"/messages/modules/producer/outputs/temps/\"} 2.0",
        "edgeai4j_hub_messages_unrouted_total{source=\"/messages/modules/producer/outputs/other/\"} 1.0");
  }

  /**
   * A module built on edgeai4j never puts a null or empty application property on the wire (the Java SDK's MQTT
   * transport leaves both out of the topic), so edgeHub has no such key to evaluate, and the local
   * hub routes the message without it: {@code is_defined} is false. (edgeHub itself would hold a key sent with
   * no value as a defined null; {@code edge route test} evaluates that case.)
   */
  @Test
  void nullAndEmptyPropertiesAreNotSeenByRoutesAsOnEdgeHub() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"seen": "FROM /messages/modules/producer/* WHERE is_defined(flag) OR is_defined(blank) INTO BrokeredEndpoint(\\"/modules/consumer/inputs/hot\\")",
         "all":  "FROM /messages/modules/producer/* WHERE kind = 'x' AND NOT is_defined(flag) INTO BrokeredEndpoint(\\"/modules/consumer/inputs/all\\")"}
        """, "", "");
    producer.context.send("out", json("{}", "kind", "x", "flag", null, "blank", ""));

    // Routing is synchronous: once the store is empty, every delivery has happened.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !consumer.received.isEmpty() && runtime.hub().storeBytes() == 0);
    assertThat(consumer.received).as("only the route that does not see the properties").hasSize(1);
    ProbeModule.Received all = consumer.received.get(0);
    assertThat(all.input()).isEqualTo("all");
    assertThat(all.message().properties()).containsOnlyKeys("kind");
  }

  @Test
  void higherPriorityIsDeliveredFirstAndEachEndpointGetsOneCopy() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"low":  {"route": "FROM /messages/modules/producer/* WHERE kind = 'low' INTO BrokeredEndpoint(\\"/modules/consumer/inputs/ordered\\")", "priority": 5},
         "high": {"route": "FROM /messages/modules/producer/* WHERE kind = 'high' INTO BrokeredEndpoint(\\"/modules/consumer/inputs/ordered\\")", "priority": 0},
         "any":  {"route": "FROM /messages/modules/producer/* WHERE kind = 'high' INTO BrokeredEndpoint(\\"/modules/consumer/inputs/ordered\\")", "priority": 7}}
        """, "", "");
    consumer.gate = new CountDownLatch(1);
    producer.context.send("out", json("\"first\"", "kind", "high"));
    assertThat(consumer.firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
    producer.context.send("out", json("\"low-1\"", "kind", "low"));
    producer.context.send("out", json("\"low-2\"", "kind", "low"));
    producer.context.send("out", json("\"high-1\"", "kind", "high"));
    producer.context.send("out", json("\"high-2\"", "kind", "high"));
    consumer.gate.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.received.size() >= 5);
    assertThat(consumer.bodies()).as("queued high-priority messages overtake low-priority ones")
        .startsWith("\"first\"", "\"high-1\"", "\"high-2\"", "\"low-1\"", "\"low-2\"");
    // Routing is synchronous, so the counters are final: the 'high' messages matched two routes to the same
    // endpoint (priorities 0 and 7) and were queued once, at priority 0.
    String metrics = scrape(runtime);
    assertThat(metrics)
        .contains("edgeai4j_hub_messages_enqueued_total{endpoint=\"consumer/ordered\",priority=\"0\"} 3.0")
        .contains("edgeai4j_hub_messages_enqueued_total{endpoint=\"consumer/ordered\",priority=\"5\"} 2.0")
        .doesNotContain("priority=\"7\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.hub().storeBytes() == 0);
    assertThat(consumer.received).hasSize(5);
  }

  @Test
  void messagesExpireAfterTheRoutesTimeToLive() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"toExternal": {"route": "FROM /messages/modules/producer/* INTO BrokeredEndpoint(\\"/modules/external/inputs/in\\")", "timeToLiveSecs": 1},
         "toCloud": "FROM /messages/modules/producer/* INTO $upstream"}
        """, ", \"external\": {\"type\": \"docker\", \"settings\": {\"image\": \"contoso/not-edgeai4j:2\"}}", "");
    assertThat(runtime.roles()).containsEntry("external", ModuleRole.EXTERNAL);
    producer.context.send("out", json("{\"n\":1}"));
    assertThat(scrape(runtime)).contains(
        "edgeai4j_hub_messages_enqueued_total{endpoint=\"external/in\",priority=\"2000000000\"} 1.0");

    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.hub().queueLengths().get("external/in") == 0);
    assertThat(scrape(runtime)).contains("edgeai4j_hub_messages_expired_total{endpoint=\"external/in\"} 1.0");
    // The upstream copy, with the store-and-forward TTL of 7200 s, was delivered and written.
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runtime.upstreamFile())
        && !Files.readAllLines(runtime.upstreamFile()).isEmpty());
    JsonNode line = MAPPER.readTree(Files.readAllLines(runtime.upstreamFile()).get(0));
    assertThat(line.get("source").asText()).isEqualTo("/messages/modules/producer/outputs/out/");
    assertThat(line.at("/body/n").asInt()).isEqualTo(1);
    assertThat(line.at("/systemProperties/contentType").asText()).isEqualTo("application/json");
  }

  @Test
  void twinPatchesThroughTheAdminEndpointReachTheModule() throws Exception {
    LocalEdgeRuntime runtime = run("{}", "", "");
    assertThat(consumer.labels).containsExactly("first");

    HttpResponse<String> patched = admin(runtime, "PATCH", "/twins/consumer/desired", "{\"label\": \"second\"}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(MAPPER.readTree(patched.body()).at("/properties/desired/$version").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.labels.contains("second"));

    HttpResponse<String> twin = admin(runtime, "GET", "/twins/consumer", null);
    assertThat(MAPPER.readTree(twin.body()).at("/properties/desired/label").asText()).isEqualTo("second");

    assertThat(admin(runtime, "GET", "/twins/nobody", null).statusCode()).isEqualTo(404);
    HttpResponse<String> notObject = admin(runtime, "PATCH", "/twins/consumer/desired", "[1]");
    assertThat(notObject.statusCode()).isEqualTo(400);
    assertThat(notObject.body()).contains("must be a JSON object, found array");
  }

  @Test
  void aCutLinkFailsSendsRetryablyAndHoldsInputUntilRestored() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"all": "FROM /messages/modules/producer/* INTO BrokeredEndpoint(\\"/modules/consumer/inputs/all\\")"}
        """, "", "");
    assertThat(MAPPER.readTree(admin(runtime, "POST", "/links/producer/cut", null).body()).get("changed")
        .asBoolean()).isTrue();
    assertThat(producer.context.connectionStatus()).isEqualTo(ConnectionStatus.DISCONNECTED_RETRYING);
    assertThatThrownBy(() -> producer.context.send("out", json("{\"n\":1}")))
        .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("link of module 'producer' to edgeHub is cut");
    assertThat(runtime.hub().cutLink("producer")).isFalse();
    assertThat(admin(runtime, "POST", "/links/producer/restore", null).statusCode()).isEqualTo(200);
    assertThat(producer.context.connectionStatus()).isEqualTo(ConnectionStatus.CONNECTED);

    // The consumer's link cut: its messages wait in the queue and arrive, in order, once it is restored.
    assertThat(runtime.hub().cutLink("consumer")).isTrue();
    producer.context.send("out", json("{\"n\":2}"));
    producer.context.send("out", json("{\"n\":3}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.hub().queueLengths().values().stream()
        .mapToInt(Integer::intValue).sum() == 2);
    assertThat(consumer.received).isEmpty();
    assertThat(runtime.hub().restoreLink("consumer")).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.received.size() == 2);
    assertThat(consumer.bodies()).containsExactly("{\"n\":2}", "{\"n\":3}");
  }

  @Test
  void directMethodsThroughTheAdminEndpoint() throws Exception {
    LocalEdgeRuntime runtime = run("{}", "", "");
    HttpResponse<String> echo = admin(runtime, "POST", "/methods/consumer/echo?timeoutSecs=5", "{\"x\": [1, 2]}");
    assertThat(echo.statusCode()).isEqualTo(200);
    JsonNode answer = MAPPER.readTree(echo.body());
    assertThat(answer.get("status").asInt()).isEqualTo(200);
    assertThat(answer.at("/payload/x/1").asInt()).isEqualTo(2);

    JsonNode unknown = MAPPER.readTree(admin(runtime, "POST", "/methods/consumer/nope", "null").body());
    assertThat(unknown.get("status").asInt()).isEqualTo(404);
    assertThat(unknown.at("/payload/error").asText()).contains("echo");
  }

  @Test
  void reportedPropertyChangesBecomeTwinChangeNotifications() throws Exception {
    LocalEdgeRuntime runtime = run("""
        {"twins": "FROM /twinChangeNotifications WHERE twin_change_includes(properties.reported.progress) INTO BrokeredEndpoint(\\"/modules/consumer/inputs/all\\")"}
        """, "", "");
    producer.context.updateReportedProperties(MAPPER.createObjectNode().put("progress", 42));
    producer.context.updateReportedProperties(MAPPER.createObjectNode().put("unrelated", 1));

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.received.stream()
        .anyMatch(r -> r.message().bodyAsJson().at("/properties/reported/progress").asInt() == 42));
    ProbeModule.Received notification = consumer.received.stream()
        .filter(r -> r.message().bodyAsJson().at("/properties/reported/progress").asInt() == 42).findFirst()
        .orElseThrow();
    assertThat(notification.message().systemProperties())
        .containsEntry(SystemProperties.MESSAGE_TYPE, "twinChangeNotification")
        .containsEntry(SystemProperties.CONNECTION_MODULE_ID, "$edgeHub");
    assertThat(notification.message().properties()).containsEntry("moduleId", "producer");
    // Routing is synchronous: only the 'progress' change was queued for the consumer.
    assertThat(scrape(runtime)).contains(
        "edgeai4j_hub_messages_enqueued_total{endpoint=\"consumer/all\",priority=\"2000000000\"} 1.0");
  }

  @Test
  void refusesOversizedMessages() throws Exception {
    run("""
        {"toExternal": "FROM /messages/modules/producer/* INTO BrokeredEndpoint(\\"/modules/external/inputs/in\\")"}
        """, ", \"external\": {\"type\": \"docker\", \"settings\": {\"image\": \"contoso/other:1\"}}", "");
    String big = "\"" + "x".repeat(EdgeMessage.MAX_SIZE_BYTES) + "\"";
    assertThatThrownBy(() -> producer.context.send("out", json(big)))
        .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("262144");
  }

  @Test
  void aFullStoreRefusesNewMessagesWithARetryableError() throws Exception {
    LocalEdgeRuntime runtime = start(
        producerToExternal("{\"timeToLiveSecs\": 7200, \"storeLimits\": {\"maxSizeBytes\": 2000}}"),
        options("u.jsonl").factories(List.of(ProbeModule.factory("producer", producer))));
    String body = "\"" + "y".repeat(700) + "\"";
    producer.context.send("out", json(body));
    producer.context.send("out", json(body));
    assertThatThrownBy(() -> producer.context.send("out", json(body)))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("store is full")
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
    assertThat(runtime.hub().queueLengths()).containsEntry("external/in", 2);
  }

  @Test
  void examplePipelineRunsSensorThroughFilterToUpstream() throws Exception {
    String manifest = Files.readString(Path.of("../../deployment-manifests/local-pipeline.json"))
        .replace("\"sendIntervalMillis\": 500", "\"sendIntervalMillis\": 20");
    LocalEdgeRuntime runtime = start(manifest, options("pipeline.jsonl"));
    assertThat(runtime.roles()).containsEntry("sensor", ModuleRole.STARTED).containsEntry("filter", ModuleRole.STARTED);

    // 40 readings from 21 °C in 0.5 °C steps: those above 25 °C become alerts, those above 30 °C go up directly.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode stats = MAPPER.readTree(admin(runtime, "POST", "/methods/filter/stats", "null").body());
      return stats.at("/payload/forwarded").asLong() + stats.at("/payload/belowThreshold").asLong() == 40;
    });
    long forwarded = MAPPER.readTree(admin(runtime, "POST", "/methods/filter/stats", "null").body())
        .at("/payload/forwarded").asLong();
    assertThat(forwarded).isBetween(31L, 32L);
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamLines(runtime).stream()
        .filter(l -> l.at("/properties/alert").asText().equals("true")).count() == forwarded);
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamLines(runtime).stream()
        .filter(l -> l.get("source").asText().contains("/sensor/")).count() >= 21);
    assertThat(upstreamLines(runtime).stream().filter(l -> l.get("source").asText().contains("/sensor/")))
        .allSatisfy(l -> assertThat(l.at("/body/machine/temperature").asDouble()).isGreaterThan(30))
        .hasSizeBetween(21, 22);
    String metrics = scrape(runtime);
    assertThat(metrics).contains("edgeai4j_hub_messages_delivered_total{endpoint=\"$upstream\"}");
    assertThat(scrapePath(runtime, "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aProcessModuleIsNotStartedInProcessButItsQueueAndTwinExist() throws Exception {
    String manifest = Files.readString(Path.of("../../deployment-manifests/local-pipeline.json"))
        .replace("\"sendIntervalMillis\": 500", "\"sendIntervalMillis\": 20");
    LocalEdgeRuntime runtime = start(manifest, options("process.jsonl").processModules(List.of("filter", "nobody")));
    assertThat(runtime.roles()).containsEntry("sensor", ModuleRole.STARTED).containsEntry("filter", ModuleRole.PROCESS);
    assertThat(runtime.hub().isConnected("filter")).isFalse();
    // The sensor's readings wait in the filter's queue for a process to connect; the twin is the manifest's.
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.hub().queueLengths().getOrDefault("filter/readings", 0)
        > 0);
    assertThat(runtime.hub().twin("filter").desired().get("threshold").asInt()).isEqualTo(25);
    assertThat(MAPPER.readTree(admin(runtime, "GET", "/modules", null).body()).at("/modules/filter/role").asText()).isEqualTo("process");
    assertThat(LocalEdgeRuntime.moduleEnvironment(runtime.manifest().module("filter").orElseThrow(),
        options("x").deviceId("d1").build()))
        .containsEntry("IOTEDGE_DEVICEID", "d1").containsEntry("IOTEDGE_MODULEID", "filter")
        .containsEntry("EDGEAI4J_RUNTIME", "local");
  }

  @Test
  void withAStoreDirectoryMessagesQueuedAtCloseAreThereAfterARestart() throws Exception {
    Path store = dir.resolve("store");
    String manifest = producerToExternal("{\"timeToLiveSecs\": 7200}");
    LocalEdgeRuntime first = start(manifest, options("first.jsonl").storeDirectory(store)
        .factories(List.of(ProbeModule.factory("producer", producer))));
    producer.context.send("out", json("{\"n\":1}"));
    producer.context.send("out", json("{\"n\":2}"));
    assertThat(first.hub().queueLengths()).containsEntry("external/in", 2);
    first.close();

    ProbeModule again = new ProbeModule(List.of());
    LocalEdgeRuntime second = start(manifest, options("second.jsonl").storeDirectory(store)
        .factories(List.of(ProbeModule.factory("producer", again))));
    assertThat(second.hub().queueLengths()).containsEntry("external/in", 2);

    LocalEdgeRuntime inMemory = start(manifest, options("third.jsonl")
        .factories(List.of(ProbeModule.factory("producer", new ProbeModule(List.of())))));
    assertThat(inMemory.hub().queueLengths()).containsEntry("external/in", 0);
  }

  @Test
  void aZeroStoreAndForwardTimeToLiveExpiresAtOnceAsOnEdgeHub() throws Exception {
    LocalEdgeRuntime runtime = start(producerToExternal("{\"timeToLiveSecs\": 0}"),
        options("z.jsonl").factories(List.of(ProbeModule.factory("producer", producer))));
    producer.context.send("out", json("{}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> scrape(runtime)
        .contains("edgeai4j_hub_messages_expired_total{endpoint=\"external/in\"} 1.0"));
    assertThat(runtime.hub().storeBytes()).isZero();
  }

  @Test
  void aBusyAdminPortFailsBeforeAnyModuleStarts() throws Exception {
    LocalEdgeRuntime first = run("{}", "", "");
    ProbeModule late = new ProbeModule(List.of());
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "late": {"type": "docker", "settings": {"image": "test/late:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {}}}}}
        """;
    assertThatThrownBy(() -> start(manifest, options("late.jsonl").adminPort(first.adminPort())
        .factories(List.of(ProbeModule.factory("late", late)))))
        .isInstanceOf(RuntimeStartException.class)
        .hasMessageContaining("--admin-port");
    assertThat(late.context).as("the module never started").isNull();
  }

  @Test
  void aModuleThatFailsToStartStopsTheRuntimeNamingIt() throws Exception {
    io.edgeai4j.module.EdgeModule broken = context -> {
      throw new IllegalStateException("no model file");
    };
    String manifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
            "b": {"type": "docker", "settings": {"image": "test/broken:1"}}}}},
          "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {}}}}}
        """;
    assertThatThrownBy(() -> start(manifest, options("b.jsonl")
        .factories(List.of(ProbeModule.factory("broken", broken)))))
        .isInstanceOf(RuntimeStartException.class)
        .hasMessageContaining("module 'b'")
        .hasMessageContaining("no model file");
  }

  private List<JsonNode> upstreamLines(LocalEdgeRuntime runtime) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    if (!Files.exists(runtime.upstreamFile())) {
      return lines;
    }
    for (String l : Files.readAllLines(runtime.upstreamFile())) {
      lines.add(MAPPER.readTree(l));
    }
    return lines;
  }

  private static HttpResponse<String> admin(LocalEdgeRuntime runtime, String method, String path, String body)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.adminPort() + path))
        .header("Authorization", "Bearer " + AdminToken.read(runtime.adminTokenFile()))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape(LocalEdgeRuntime runtime) throws Exception {
    return scrapePath(runtime, "/metrics").body();
  }

  private static HttpResponse<String> scrapePath(LocalEdgeRuntime runtime, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.metricsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

}
