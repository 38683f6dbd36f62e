package io.edgeai4j.azure.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.azure.AzureTransportOptions;
import io.edgeai4j.azure.AzureTransportProvider;
import io.edgeai4j.azure.ConnectedTransportTestBase;
import io.edgeai4j.azure.FakeEdgeHub;
import io.edgeai4j.azure.RecordingListener;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TwinDocument;
import io.edgeai4j.retry.BackoffPolicy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The edgehub-mqtt transport end to end, over TLS, against the fake edgeHub (Moquette on 127.0.0.1:8883 plus a Paho
 * client playing edgeHub), made by its provider from an environment map as a module's would be. One connection
 * serves every test; each tells its messages apart by content or input name.
 */
class EdgeHubMqttTransportTest extends ConnectedTransportTestBase<EdgeHubMqttTransport> {
  static final String DEVICE = "edge-device";
  static final String MODULE = "filter";
  static final String SDK_MODULE = "sdk-filter";
  static final String HUB = "test-hub.azure-devices.net";
  static final ObjectMapper JSON = new ObjectMapper();

  static byte[] key() {
    return Base64.getDecoder().decode(EdgeHubMqttTransportProviderTest.KEY);
  }

  static String connectionString(String module) {
    return "HostName=" + HUB + ";GatewayHostName=" + FakeEdgeHub.HOST + ";DeviceId=" + DEVICE + ";ModuleId=" + module
        + ";SharedAccessKey=" + EdgeHubMqttTransportProviderTest.KEY;
  }

  static EdgeHubMqttOptions.Builder testOptions() {
    return EdgeHubMqttOptions.builder()
        .sendTimeout(Duration.ofSeconds(10))
        .twinTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5))
        .openTimeout(Duration.ofSeconds(10))
        .reconnectBackoff(BackoffPolicy.exponential(Duration.ofMillis(50), Duration.ofMillis(500)).withJitter(0));
  }

  static String inputs(String module) {
    return "devices/" + DEVICE + "/modules/" + module + "/inputs/";
  }

  @Override
  protected String moduleConnectionString() {
    return connectionString(MODULE);
  }

  @Override
  protected EdgeHubMqttTransport createTransport(Map<String, String> environment) throws TransportException {
    return (EdgeHubMqttTransport) new EdgeHubMqttTransportProvider(testOptions().build()).create(environment);
  }

  @Test
  void connectsAsTheModuleWithEdgeHubsUsernameAndASasTokenSignedWithTheKey() {
    assertThat(transport.identity()).isEqualTo(new ModuleIdentity(DEVICE, MODULE));
    assertThat(listener.statuses()).startsWith(ConnectionStatus.CONNECTED);
    FakeEdgeHub.Credentials credentials = hub.connects.stream()
        .filter(c -> c.clientId().equals(DEVICE + "/" + MODULE)).findFirst().orElseThrow();
    assertThat(credentials.username())
        .isEqualTo(HUB + "/" + DEVICE + "/" + MODULE + "/?api-version=2020-09-30&DeviceClientType=edgeai4j%2Fdev");
    String audience = "test-hub.azure-devices.net%2Fdevices%2Fedge-device%2Fmodules%2Ffilter";
    assertThat(credentials.password()).matches("SharedAccessSignature sr=" + audience + "&sig=[^&]+&se=\\d+");
    long expiry = Long.parseLong(credentials.password().replaceAll(".*&se=", ""));
    assertThat(expiry).isBetween(Instant.now().plusSeconds(3000).getEpochSecond(),
        Instant.now().plusSeconds(3601).getEpochSecond());
    String signature = URLDecoder.decode(credentials.password().replaceAll(".*&sig=([^&]+)&.*", "$1"),
        StandardCharsets.UTF_8);
    assertThat(signature).isEqualTo(SasTokens.hmac(key(), audience + "\n" + expiry));
  }

  @Test
  void sendPublishesTheSdksPropertyBagAtQos1() throws Exception {
    EdgeMessage message = EdgeMessage.json("{\"temperature\":31.5,\"test\":\"json-out\"}").toBuilder()
        .messageId("m-1").property("severity", "high").property("note", "a b&c=d/\u00e9").build();

    transport.send("alerts", message);

    FakeEdgeHub.Publication event = awaitEvent("json-out");
    assertThat(event.payload()).isEqualTo(message.body());
    assertThat(event.qos()).isEqualTo(1);
    assertThat(event.topic()).isEqualTo("devices/edge-device/modules/filter/messages/events/$.mid=m-1&$.on=alerts"
        + "&$.cdid=edge-device&$.cmid=filter&$.ce=utf-8&$.ct=application%2Fjson&severity=high"
        + "&note=a%20b%26c%3Dd%2F%C3%A9/");
  }

  @Test
  void oversizedMessageIsRefusedBeforeAnythingIsSent() {
    byte[] body = new byte[EdgeMessage.MAX_SIZE_BYTES + 1];
    EdgeMessage oversized = EdgeMessage.builder().body(body).contentType("text/plain").build();

    assertThatThrownBy(() -> transport.sendAsync("big", oversized))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("'big'");
    assertThat(hub.events(DEVICE, MODULE)).noneMatch(e -> e.topic().contains("$.on=big&"));
    assertThat(transport.sendsInFlight()).isZero();
  }

  /**
   * edgeHub writes application properties before system properties; the SDK 2.5.0 parses the bag only from the first
   * {@code %24} and loses them. The same topic, delivered to a module on the SDK transport and to one on this
   * transport: only this one keeps {@code unit} and {@code site}.
   */
  @Test
  void inputKeepsTheApplicationPropertiesTheSdkLoses() throws Exception {
    RecordingListener sdkListener = new RecordingListener();
    try (ModuleTransport sdk = new AzureTransportProvider(AzureTransportOptions.builder()
        .sendTimeout(Duration.ofSeconds(10)).subscribeTimeout(Duration.ofSeconds(10))
        .reconnectTimeout(Duration.ofSeconds(30)).build()).create(Map.of(
            AzureTransportProvider.EDGE_HUB_CONNECTION_STRING, connectionString(SDK_MODULE),
            AzureTransportProvider.CA_CERTIFICATE_FILE, caFile.toString()))) {
      sdk.open(sdkListener);
      String bag = "telemetry/unit=celsius&site=north%20hall&%24.mid=in-1&%24.ct=application%2Fjson&%24.ce=utf-8"
          + "&%24.cdid=" + DEVICE + "&%24.cmid=sensor";
      byte[] body = "{\"test\":\"edgehub-order\"}".getBytes(StandardCharsets.UTF_8);

      hub.publishInput(inputs(SDK_MODULE) + bag, body);
      hub.publishInput(inputs(MODULE) + bag, body);

      EdgeMessage ours = awaitInput(listener, "edgehub-order").message();
      EdgeMessage theSdks = awaitInput(sdkListener, "edgehub-order").message();
      assertThat(ours.properties()).containsExactly(entry("unit", "celsius"), entry("site", "north hall"));
      assertThat(ours.systemProperties())
          .containsEntry(SystemProperties.INPUT_NAME, "telemetry")
          .containsEntry(SystemProperties.MESSAGE_ID, "in-1")
          .containsEntry(SystemProperties.CONTENT_TYPE, "application/json")
          .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, DEVICE)
          .containsEntry(SystemProperties.CONNECTION_MODULE_ID, "sensor");
      assertThat(theSdks.systemProperties()).containsEntry(SystemProperties.INPUT_NAME, "telemetry");
      assertThat(theSdks.properties()).doesNotContainKeys("unit", "site");
    }
  }

  @Test
  void inputsRunConcurrentlyAndInOrderPerInput() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    listener.inputHandler.set((input, message) -> {
      if (message.bodyAsString().contains("slow-a-1")) {
        block(release);
      }
      return MessageDisposition.COMPLETE;
    });
    try {
      hub.publishInput(inputs(MODULE) + "laneA/%24.mid=a1", "slow-a-1".getBytes(StandardCharsets.UTF_8));
      awaitInput(listener, "slow-a-1");
      hub.publishInput(inputs(MODULE) + "laneA/%24.mid=a2", "then-a-2".getBytes(StandardCharsets.UTF_8));
      hub.publishInput(inputs(MODULE) + "laneB/%24.mid=b1", "meanwhile-b-1".getBytes(StandardCharsets.UTF_8));

      // Input laneB is handled while laneA's handler blocks; laneA's second message waits for its first.
      RecordingListener.Input b = awaitInput(listener, "meanwhile-b-1");
      assertThat(listener.inputsWith("then-a-2")).isEmpty();
      release.countDown();
      RecordingListener.Input a2 = awaitInput(listener, "then-a-2");
      RecordingListener.Input a1 = listener.inputsWith("slow-a-1").get(0);
      assertThat(a2.thread()).isEqualTo(a1.thread()).contains("laneA").doesNotContain("MQTT");
      assertThat(b.thread()).contains("laneB");
    } finally {
      release.countDown();
      listener.inputHandler.set((input, message) -> MessageDisposition.COMPLETE);
    }
  }

  @Test
  void directMethodIsAnsweredWhileAnInputHandlerBlocks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    listener.inputHandler.set((input, message) -> {
      block(release);
      return MessageDisposition.COMPLETE;
    });
    listener.methodHandler.set(request -> MethodResponse.ok(JSON.createObjectNode()
        .put("method", request.methodName()).set("echo", request.payload())));
    try {
      hub.publishInput(inputs(MODULE) + "blocked/%24.mid=x", "blocking-input".getBytes(StandardCharsets.UTF_8));
      awaitInput(listener, "blocking-input");

      FakeEdgeHub.Publication response = hub.callMethod("reboot", "{\"delaySeconds\":5}", 10_000);

      assertThat(response.topic()).startsWith("$iothub/methods/res/200/?$rid=");
      assertThat(JSON.readTree(response.payload()))
          .isEqualTo(JSON.readTree("{\"method\":\"reboot\",\"echo\":{\"delaySeconds\":5}}"));
    } finally {
      release.countDown();
      listener.inputHandler.set((input, message) -> MessageDisposition.COMPLETE);
      listener.methodHandler.set(request -> MethodResponse.ok(request.payload()));
    }
  }

  @Test
  void twinIsReadWithBothVersions() throws Exception {
    hub.twinJson.set("{\"desired\":{\"threshold\":5,\"model\":{\"name\":\"yolo\"},\"$version\":7},"
        + "\"reported\":{\"status\":\"ok\",\"$version\":3}}");

    TwinDocument twin = transport.getTwin();

    assertThat(twin.desiredVersion()).isEqualTo(7);
    assertThat(twin.reportedVersion()).isEqualTo(3);
    assertThat(twin.desired()).isEqualTo(JSON.readTree("{\"threshold\":5,\"model\":{\"name\":\"yolo\"},\"$version\":7}"));
    assertThat(hub.receivedOn("$iothub/twin/GET/?$rid=")).isNotEmpty().allSatisfy(p -> {
      assertThat(p.payload()).isEmpty();
      assertThat(p.qos()).isEqualTo(1);
    });
  }

  @Test
  void reportedPatchIsPublishedAndARefusalNamesTheStatus() throws Exception {
    ObjectNode patch = (ObjectNode) JSON.readTree("{\"status\":\"running\",\"model\":{\"version\":3},\"obsolete\":null}");

    transport.updateReportedProperties(patch);

    List<FakeEdgeHub.Publication> patches = hub.receivedOn("$iothub/twin/PATCH/properties/reported/?$rid=");
    assertThat(JSON.readTree(patches.get(patches.size() - 1).payload())).isEqualTo(patch);

    hub.reportedStatus.set(400);
    try {
      assertThatThrownBy(() -> transport.updateReportedProperties(JSON.createObjectNode().put("bad", 1)))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("with status 400")
          .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isFalse());
      hub.reportedStatus.set(503);
      assertThatThrownBy(() -> transport.updateReportedProperties(JSON.createObjectNode().put("later", 1)))
          .hasMessageContaining("with status 503")
          .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
    } finally {
      hub.reportedStatus.set(204);
    }
  }

  @Test
  void twinRequestWithoutAnswerTimesOutNamingTheWait() {
    hub.twinRequestsToIgnore.set(1);

    assertThatThrownBy(() -> transport.getTwin())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("did not answer the twin request")
        .hasMessageContaining("PT2S");
  }

  @Test
  void desiredPatchesArriveInOrderOnOneThread() throws Exception {
    for (int version = 100; version < 105; version++) {
      hub.publishDesiredPatch(version, "{\"threshold\":" + version + ",\"$version\":" + version + "}");
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> listener.desiredPatches.stream()
        .anyMatch(p -> p.path("$version").asLong() == 104));
    List<Long> versions = new ArrayList<>();
    listener.desiredPatches.forEach(p -> {
      long v = p.path("$version").asLong();
      if (v >= 100 && v < 105) {
        versions.add(v);
      }
    });
    assertThat(versions).containsExactly(100L, 101L, 102L, 103L, 104L);
    assertThat(listener.desiredThreads).allSatisfy(t -> assertThat(t).contains("desired"));
  }

  @Test
  void handlersMayUseTheTransport() throws Exception {
    listener.inputHandler.set((input, message) -> {
      try {
        long version = transport.getTwin().desiredVersion();
        transport.updateReportedProperties(JSON.createObjectNode().put("lastInput", "re-1")
            .put("seenDesiredVersion", version));
        transport.send("echo", EdgeMessage.text("echo of " + message.bodyAsString()));
        return MessageDisposition.COMPLETE;
      } catch (TransportException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      hub.publishInput(inputs(MODULE) + "reentrant/%24.mid=re-1", "reentrant-input".getBytes(StandardCharsets.UTF_8));

      awaitEvent("echo of reentrant-input");
      assertThat(hub.receivedOn("$iothub/twin/PATCH/properties/reported/"))
          .anyMatch(p -> p.text().contains("\"lastInput\":\"re-1\""));
    } finally {
      listener.inputHandler.set((input, message) -> MessageDisposition.COMPLETE);
    }
  }

  /**
   * An input is acknowledged only after its handler returned. While the handler blocks, the link drops: the message
   * was not acknowledged, so the broker delivers it again on the new link, and the module sees it a second time once
   * the first handler returned (whose acknowledgement, for the old link, is not sent). A message handled before the
   * drop was acknowledged and does not come again. Acknowledging on arrival would deliver the held message once.
   */
  @Test
  void inputIsAcknowledgedOnlyAfterItsHandlerReturned() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    listener.inputHandler.set((input, message) -> {
      if (message.bodyAsString().equals("held-1")) {
        block(release);
      }
      return MessageDisposition.COMPLETE;
    });
    try {
      hub.publishInput(inputs(MODULE) + "held/%24.mid=done-1", "done-1".getBytes(StandardCharsets.UTF_8));
      awaitInput(listener, "done-1");
      hub.publishInput(inputs(MODULE) + "held/%24.mid=held-1", "held-1".getBytes(StandardCharsets.UTF_8));
      awaitInput(listener, "held-1");
      int reconnectionsBefore = transport.reconnections();

      assertThat(hub.disconnectClient(DEVICE + "/" + MODULE)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> transport.reconnections() > reconnectionsBefore);
      release.countDown();

      await().atMost(Duration.ofSeconds(20)).until(() -> listener.inputsWith("held-1").size() == 2);
      assertThat(listener.inputsWith("done-1")).hasSize(1);
    } finally {
      release.countDown();
      listener.inputHandler.set((input, message) -> MessageDisposition.COMPLETE);
    }
  }

  /**
   * ABANDON is not acknowledged: the message is offered again (here by the broker's redelivery of unacknowledged
   * messages, after 5 s). COMPLETE, REJECT and a handler that throws (taken as REJECT) are acknowledged: offered once,
   * though the redelivery that brings the abandoned message back would have brought them too.
   */
  @Test
  void abandonedInputIsOfferedAgainAndCompletedOrRejectedOnesAreNot() throws Exception {
    AtomicInteger offers = new AtomicInteger();
    listener.inputHandler.set((input, message) -> switch (message.bodyAsString()) {
      case "abandon-me" -> offers.incrementAndGet() == 1 ? MessageDisposition.ABANDON : MessageDisposition.COMPLETE;
      case "reject-me" -> MessageDisposition.REJECT;
      case "throw-me" -> throw new IllegalStateException("handler failure");
      default -> MessageDisposition.COMPLETE;
    });
    try {
      for (String body : List.of("abandon-me", "complete-me", "reject-me", "throw-me")) {
        hub.publishInput(inputs(MODULE) + "disposition-" + body + "/%24.mid=" + body,
            body.getBytes(StandardCharsets.UTF_8));
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> offers.get() >= 2);
      assertThat(listener.inputsWith("complete-me")).hasSize(1);
      assertThat(listener.inputsWith("reject-me")).hasSize(1);
      assertThat(listener.inputsWith("throw-me")).hasSize(1);
    } finally {
      listener.inputHandler.set((input, message) -> MessageDisposition.COMPLETE);
    }
  }

  /**
   * The pipelining gain: the same number of messages sent one at a time ({@code send}, each waiting for its PUBACK)
   * and through {@code sendAsync} with the default window of 64; every message must reach the hub, and the window
   * never holds more than 64. The figures go to the test log.
   */
  @Test
  void pipelinedSendsAllArriveAndAreMeasuredAgainstOneAtATime() throws Exception {
    int count = 2000;
    byte[] body = new byte[256];
    java.util.Arrays.fill(body, (byte) 'p');
    long serialStart = System.nanoTime();
    for (int i = 0; i < count; i++) {
      transport.send("serial", EdgeMessage.builder().body(body).messageId("s-" + i).build());
    }
    double serialSeconds = (System.nanoTime() - serialStart) / 1e9;

    long pipelinedStart = System.nanoTime();
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    int maxSeen = 0;
    for (int i = 0; i < count; i++) {
      sent.add(transport.sendAsync("pipelined", EdgeMessage.builder().body(body).messageId("p-" + i).build()));
      maxSeen = Math.max(maxSeen, transport.sendsInFlight());
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    double pipelinedSeconds = (System.nanoTime() - pipelinedStart) / 1e9;

    await().atMost(Duration.ofSeconds(30)).until(() -> hub.receivedOn(
        "devices/edge-device/modules/filter/messages/events/$.mid=p-").size() == count);
    assertThat(hub.receivedOn("devices/edge-device/modules/filter/messages/events/$.mid=s-")).hasSize(count);
    assertThat(maxSeen).isLessThanOrEqualTo(64);
    System.out.printf("edgehub-mqtt send throughput, %d messages of %d bytes over TLS to Moquette on loopback:"
        + " send() one at a time %.0f msg/s, sendAsync() window 64 %.0f msg/s (x%.1f)%n", count, body.length,
        count / serialSeconds, count / pipelinedSeconds, serialSeconds / pipelinedSeconds);
  }

  private FakeEdgeHub.Publication awaitEvent(String bodyMarker) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> hub.events(DEVICE, MODULE).stream().anyMatch(e -> e.text().contains(bodyMarker)));
    return hub.events(DEVICE, MODULE).stream().filter(e -> e.text().contains(bodyMarker)).findFirst().orElseThrow();
  }

  static RecordingListener.Input awaitInput(RecordingListener recorder, String bodyMarker) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.inputsWith(bodyMarker).isEmpty());
    return recorder.inputsWith(bodyMarker).get(0);
  }

  static void block(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
