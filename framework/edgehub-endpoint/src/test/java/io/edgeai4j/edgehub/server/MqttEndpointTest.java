package io.edgeai4j.edgehub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.edgehub.EndpointHarness;
import io.edgeai4j.edgehub.NoopListener;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.routing.Route;
import io.edgeai4j.routing.RouteSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The endpoint driven by Paho 1.2.5 over TLS on a loopback port, as the SDK drives it. */
class MqttEndpointTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String EVENTS = "devices/dev/modules/sender/messages/events/";
  private static final String INPUTS = "devices/dev/modules/receiver/inputs/#";
  private static final String QUEUE = "receiver/in";

  @TempDir
  Path state;
  @AutoClose
  private EndpointHarness harness;

  private EndpointHarness start() throws Exception {
    return start(Duration.ofSeconds(10), 64L * 1024 * 1024);
  }

  private EndpointHarness start(Duration ackTimeout, long maxStoreBytes) throws Exception {
    harness = EndpointHarness.start(state, hub -> hub.maxStoreBytes(maxStoreBytes),
        endpoint -> endpoint.messageAckTimeout(ackTimeout));
    return harness;
  }

  private static MqttMessage qos1(String body) {
    MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    return m;
  }

  @Test
  void routesAPublishToAnotherModulesInputWithEdgeHubsPropertyBag() throws Exception {
    start();
    MqttAsyncClient receiver = harness.client("receiver");
    Recorder inbox = new Recorder().connect(receiver, harness.options("receiver"));
    receiver.subscribe(INPUTS, 1).waitForCompletion(10_000);
    MqttAsyncClient sender = harness.connect("sender");

    sender.publish(EVENTS + "$.mid=m1&$.on=out&$.ct=application%2Fjson&$.ce=utf-8&$.cdid=dev&$.cmid=sender"
        + "&unit=%C2%B0C&note=a%20b%2Bc&eq=x%3Dy%26z/", qos1("{\"t\":21.5}")).waitForCompletion(10_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.received.size() == 1);
    Recorder.Received in = inbox.received.get(0);
    assertThat(in.topic()).isEqualTo("devices/dev/modules/receiver/inputs/in/"
        + "unit=%C2%B0C&note=a%20b%2Bc&eq=x%3Dy%26z"
        + "&%24.mid=m1&%24.ct=application%2Fjson&%24.ce=utf-8&%24.cdid=dev&%24.cmid=sender");
    assertThat(in.message().getQos()).isEqualTo(1);
    assertThat(in.body()).isEqualTo("{\"t\":21.5}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(harness.metric("edgeai4j_edgehub_messages_received_total", "module", "sender")).isEqualTo(1);
      assertThat(harness.metric("edgeai4j_edgehub_messages_delivered_total", "module", "receiver")).isEqualTo(1);
    });
    assertThat(harness.endpoint.connectedModules()).containsExactly("receiver", "sender");
    assertThat(harness.metric("edgeai4j_edgehub_connected_modules")).isEqualTo(2);
  }

  @Test
  void acknowledgesAPublishOnlyOnceTheHubHasStoredIt() throws Exception {
    start();
    MqttAsyncClient sender = harness.connect("sender");
    // No receiver is connected, so the message can only be in the receiver's queue when the PUBACK arrives.
    sender.publish(EVENTS + "$.on=out/", qos1("{}")).waitForCompletion(10_000);
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 1);
  }

  @Test
  void doesNotAcknowledgeWhatAFullStoreRefusesAndClosesTheConnection() throws Exception {
    start(Duration.ofSeconds(10), 2_000);
    MqttAsyncClient sender = harness.client("sender");
    Recorder recorder = new Recorder().connect(sender, harness.options("sender"));
    sender.publish(EVENTS + "$.on=out", qos1("x".repeat(1_000))).waitForCompletion(10_000);

    IMqttToken refused = sender.publish(EVENTS + "$.on=out", qos1("y".repeat(1_000)));
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.lost.get() != null);
    assertThat(refused.isComplete() && refused.getException() == null).isFalse();
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 1);
    assertThat(harness.metric("edgeai4j_edgehub_messages_refused_total", "module", "sender", "reason", "retryable"))
        .isEqualTo(1);
  }

  @Test
  void redeliversAnInputNotAcknowledgedBeforeADisconnectToTheReconnectedSession() throws Exception {
    start();
    MqttAsyncClient first = harness.client("receiver");
    first.setManualAcks(true);
    Recorder firstInbox = new Recorder().connect(first, harness.options("receiver"));
    first.subscribe(INPUTS, 1).waitForCompletion(10_000);
    harness.connect("sender").publish(EVENTS + "$.mid=once&$.on=out", qos1("{}")).waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> firstInbox.received.size() == 1);

    first.disconnectForcibly(0, 1000);   // never PUBACKed
    MqttAsyncClient second = harness.client("receiver");
    Recorder secondInbox = new Recorder();
    second.setCallback(secondInbox);
    // CleanSession=false: the session's subscription is kept, the client does not subscribe again.
    IMqttToken connected = second.connect(harness.options("receiver"));
    connected.waitForCompletion(10_000);
    assertThat(connected.getSessionPresent()).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> secondInbox.received.size() == 1);
    assertThat(secondInbox.received.get(0).topic()).contains("%24.mid=once");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(harness.metric("edgeai4j_edgehub_messages_delivered_total", "module", "receiver")).isEqualTo(1);
      assertThat(harness.metric("edgeai4j_edgehub_messages_abandoned_total", "module", "receiver",
          "reason", "disconnected")).isEqualTo(1);
    });
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 0);
  }

  @Test
  void abandonsAnInputNotAcknowledgedWithinTheAckTimeoutAndDeliversItAgain() throws Exception {
    start(Duration.ofMillis(300), 64L * 1024 * 1024);
    MqttAsyncClient receiver = harness.client("receiver");
    receiver.setManualAcks(true);
    Recorder inbox = new Recorder().connect(receiver, harness.options("receiver"));
    receiver.subscribe(INPUTS, 1).waitForCompletion(10_000);
    harness.connect("sender").publish(EVENTS + "$.mid=late&$.on=out", qos1("{}")).waitForCompletion(10_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.received.size() >= 2);
    MqttMessage again = inbox.received.get(1).message();
    assertThat(inbox.received.get(1).topic()).contains("%24.mid=late");
    receiver.messageArrivedComplete(again.getId(), again.getQos());
    await().atMost(Duration.ofSeconds(5)).until(() ->
        harness.metric("edgeai4j_edgehub_messages_delivered_total", "module", "receiver") == 1);
    assertThat(harness.metric("edgeai4j_edgehub_messages_abandoned_total", "module", "receiver",
        "reason", "ack_timeout")).isGreaterThanOrEqualTo(1);
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 0);
  }

  @Test
  void answersTwinGetAndReportedPatchesAndSendsDesiredPatches() throws Exception {
    start();
    MqttAsyncClient client = harness.client("receiver");
    Recorder inbox = new Recorder().connect(client, harness.options("receiver"));
    client.subscribe(new String[] {"$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#"},
        new int[] {1, 1}).waitForCompletion(10_000);

    client.publish("$iothub/twin/GET/?$rid=1", qos1("")).waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.on("$iothub/twin/res/").size() == 1);
    Recorder.Received twin = inbox.on("$iothub/twin/res/").get(0);
    assertThat(twin.topic()).isEqualTo("$iothub/twin/res/200/?$rid=1");
    assertThat(twin.message().getQos()).isZero();
    JsonNode doc = MAPPER.readTree(twin.body());
    assertThat(doc.at("/desired/threshold").asInt()).isEqualTo(25);
    assertThat(doc.at("/desired/$version").isNumber()).isTrue();
    assertThat(doc.at("/reported/$version").isNumber()).isTrue();

    client.publish("$iothub/twin/PATCH/properties/reported/?$rid=2", qos1("{\"temp\":21}"))
        .waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.on("$iothub/twin/res/").size() == 2);
    long reportedVersion = harness.hub.twin("receiver").reportedVersion();
    assertThat(inbox.on("$iothub/twin/res/").get(1).topic())
        .isEqualTo("$iothub/twin/res/204/?$rid=2&$version=" + reportedVersion);
    assertThat(harness.hub.twin("receiver").reported().get("temp").asInt()).isEqualTo(21);

    client.publish("$iothub/twin/PATCH/properties/reported/?$rid=3", qos1("[1]")).waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.on("$iothub/twin/res/").size() == 3);
    Recorder.Received bad = inbox.on("$iothub/twin/res/").get(2);
    assertThat(bad.topic()).isEqualTo("$iothub/twin/res/400/?$rid=3");
    assertThat(MAPPER.readTree(bad.body()).get("message").asText()).contains("not a JSON object", "'[1]'");

    long desiredVersion = harness.hub.patchDesired("receiver",
        JsonNodeFactory.instance.objectNode().put("threshold", 30)).desiredVersion();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        inbox.on("$iothub/twin/PATCH/properties/desired/").size() == 1);
    Recorder.Received patch = inbox.on("$iothub/twin/PATCH/properties/desired/").get(0);
    assertThat(patch.topic()).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=" + desiredVersion);
    assertThat(patch.message().getQos()).isZero();
    assertThat(MAPPER.readTree(patch.body()).get("threshold").asInt()).isEqualTo(30);
  }

  @Test
  void roundTripsADirectMethodAndAnswers404WithoutASubscription() throws Exception {
    start();
    MqttAsyncClient client = harness.connect("receiver");
    assertThat(harness.hub.invokeMethod("receiver", "reset", JsonNodeFactory.instance.objectNode(),
        Duration.ofSeconds(5)).status()).isEqualTo(404);

    client.setCallback(new Recorder() {
      @Override
      public void messageArrived(String topic, MqttMessage message) {
        super.messageArrived(topic, message);
        String rid = topic.substring(topic.indexOf("?$rid=") + 6);
        JsonNode asked;
        try {
          asked = MAPPER.readTree(message.getPayload());
          client.publish("$iothub/methods/res/201/?$rid=" + rid,
              qos1("{\"echo\":" + asked.get("n").asInt() + ",\"topic\":\"" + topic + "\"}"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    client.subscribe("$iothub/methods/POST/#", 1).waitForCompletion(10_000);
    MethodResponse answer = harness.hub.invokeMethod("receiver", "reset",
        JsonNodeFactory.instance.objectNode().put("n", 7), Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.payload().get("echo").asInt()).isEqualTo(7);
    assertThat(answer.payload().get("topic").asText()).matches("\\$iothub/methods/POST/reset/\\?\\$rid=[0-9a-f]+");
  }

  @Test
  void aSecondConnectWithTheSameClientIdTakesOver() throws Exception {
    start();
    MqttAsyncClient first = harness.client("receiver");
    Recorder firstRecorder = new Recorder().connect(first, harness.options("receiver"));
    MqttAsyncClient second = harness.connect("receiver");

    await().atMost(Duration.ofSeconds(10)).until(() -> firstRecorder.lost.get() != null);
    assertThat(second.isConnected()).isTrue();
    assertThat(harness.endpoint.connectedModules()).containsExactly("receiver");
    assertThat(harness.hub.isConnected("receiver")).isTrue();
    assertThat(harness.metric("edgeai4j_edgehub_connections_closed_total", "reason", "takeover")).isEqualTo(1);
  }

  @Test
  void grantsOnlyTheModulesOwnTopicsAndFailsOtherSubscriptions() throws Exception {
    start();
    MqttAsyncClient client = harness.connect("receiver");
    IMqttToken token = client.subscribe(new String[] {INPUTS, "devices/dev/modules/sender/inputs/#", "#",
        "$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#", "$iothub/methods/POST/#",
        "devices/dev/modules/receiver/messages/events/#", "devices/dev/modules/receiver/#",
        "devices/dev/modules/sender/#"}, new int[] {1, 1, 1, 1, 1, 1, 0, 1, 1});
    token.waitForCompletion(10_000);
    assertThat(token.getGrantedQos()).containsExactly(1, 0x80, 0x80, 1, 1, 1, 0x80, 1, 0x80);
  }

  @Test
  void deliversInputsOnTheModuleWideFilterThatTheCsharpSdkSubscribesTo() throws Exception {
    start();
    MqttAsyncClient receiver = harness.client("receiver");
    Recorder inbox = new Recorder().connect(receiver, harness.options("receiver"));
    receiver.subscribe("devices/dev/modules/receiver/#", 1).waitForCompletion(10_000);
    harness.connect("sender").publish(EVENTS + "$.on=out", qos1("{}")).waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.received.size() == 1);
    assertThat(inbox.received.get(0).topic()).startsWith("devices/dev/modules/receiver/inputs/in/");
  }

  @ParameterizedTest
  @CsvSource({
      // what is wrong          | Paho reason code (the CONNACK return code) | metric reason
      "wrong key,                 4, bad_username_or_password",
      "expired token,             5, not_authorized",
      "client id of another module, 2, identifier_rejected",
      "unknown module,            5, not_authorized",
  })
  void refusesBadCredentialsWithEdgeHubsConnackCodes(String wrong, int code, String reason) throws Exception {
    start();
    String clientModule = "receiver";
    MqttConnectOptions options = harness.options("receiver");
    switch (wrong) {
      case "wrong key" -> options.setPassword(EndpointHarness.token(new byte[32], "receiver",
          Instant.now().plusSeconds(600)).toCharArray());
      case "expired token" -> options.setPassword(EndpointHarness.token(harness.endpoint.keys().key("receiver"),
          "receiver", Instant.now().minusSeconds(60)).toCharArray());
      case "client id of another module" -> clientModule = "sender";
      case "unknown module" -> {
        clientModule = "ghost";
        options.setUserName(EndpointHarness.HUB_HOST + "/dev/ghost/?api-version=2020-09-30");
      }
      default -> throw new IllegalArgumentException(wrong);
    }
    MqttAsyncClient client = harness.client(clientModule);
    assertThatThrownBy(() -> client.connect(options).waitForCompletion(10_000))
        .isInstanceOf(MqttException.class)
        .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(code));
    assertThat(harness.metric("edgeai4j_edgehub_connections_refused_total", "reason", reason)).isEqualTo(1);
    assertThat(harness.endpoint.connectedModules()).isEmpty();
  }

  @Test
  void closesTheConnectionOfAPacketOverTheSizeLimit() throws Exception {
    start();
    MqttAsyncClient sender = harness.client("sender");
    Recorder recorder = new Recorder().connect(sender, harness.options("sender"));
    sender.publish(EVENTS + "$.on=out", new MqttMessage(new byte[400_000]));
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.lost.get() != null);
    assertThat(harness.metric("edgeai4j_edgehub_messages_refused_total", "module", "sender",
        "reason", "frame_too_large")).isEqualTo(1);
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 0);
  }

  @Test
  void acknowledgesAndDropsAMessageOverEdgeHubsLimitThatFitsAFrame() throws Exception {
    start();
    MqttAsyncClient sender = harness.connect("sender");
    // 262,144 bytes of body plus properties: within the frame limit, over EdgeMessage.MAX_SIZE_BYTES.
    sender.publish(EVENTS + "$.on=out&k=v", qos1("x".repeat(262_144))).waitForCompletion(10_000);
    assertThat(harness.metric("edgeai4j_edgehub_messages_refused_total", "module", "sender",
        "reason", "too_large")).isEqualTo(1);
    assertThat(harness.hub.queueLengths()).containsEntry(QUEUE, 0);
    assertThat(sender.isConnected()).isTrue();
  }

  @Test
  void closesTheConnectionOfAModulePublishingAsAnotherModule() throws Exception {
    start();
    MqttAsyncClient sender = harness.client("sender");
    Recorder recorder = new Recorder().connect(sender, harness.options("sender"));
    sender.publish("devices/dev/modules/receiver/messages/events/$.on=out", qos1("{}"));
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.lost.get() != null);
    assertThat(harness.metric("edgeai4j_edgehub_messages_refused_total", "module", "sender", "reason", "topic"))
        .isEqualTo(1);
    assertThat(harness.hub.queueLengths()).doesNotContainValue(1);
  }
  @Test
  void refusesAModuleThatTheHubHasConnectedInProcess() throws Exception {
    start();
    ModuleTransport inProcess = harness.hub.transportFor("receiver");
    inProcess.open(new NoopListener());
    try {
      MqttAsyncClient client = harness.client("receiver");
      assertThatThrownBy(() -> client.connect(harness.options("receiver")).waitForCompletion(10_000))
          .isInstanceOf(MqttException.class)
          .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(5));
      assertThat(harness.metric("edgeai4j_edgehub_connections_refused_total", "reason", "connected_elsewhere"))
          .isEqualTo(1);
    } finally {
      inProcess.close();
    }
  }

  @Test
  void routesAMessageWithoutAnOutputNameFromTheModulesSourceAsEdgeHubDoes() throws Exception {
    // An SDK module's sendEvent(message) names no output: edgeHub routes it from /messages/modules/<m>/, which a
    // FROM /messages/modules/sender/* route selects and a FROM .../outputs/out route does not.
    List<RouteSpec> routes = List.of(new RouteSpec("outputs", Route.parse(EndpointHarness.ROUTE)),
        new RouteSpec("everything", Route.parse(
            "FROM /messages/modules/sender/* INTO BrokeredEndpoint(\"/modules/receiver/inputs/in2\")")));
    harness = EndpointHarness.start(state, hub -> hub.routes(routes), endpoint -> { });
    MqttAsyncClient sender = harness.connect("sender");
    sender.publish(EVENTS + "$.mid=plain", qos1("{}")).waitForCompletion(10_000);
    assertThat(harness.hub.queueLengths()).containsEntry("receiver/in2", 1).containsEntry(QUEUE, 0);
    assertThat(harness.metric("edgeai4j_edgehub_messages_received_total", "module", "sender")).isEqualTo(1);
  }

  @Test
  void answers504WhenTheModuleDisconnectsBeforeAnsweringAMethod() throws Exception {
    start();
    MqttAsyncClient client = harness.client("receiver");
    Recorder inbox = new Recorder().connect(client, harness.options("receiver"));
    client.subscribe("$iothub/methods/POST/#", 1).waitForCompletion(10_000);
    java.util.concurrent.CompletableFuture<MethodResponse> answer = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> harness.hub.invokeMethod("receiver", "hang", JsonNodeFactory.instance.objectNode(),
            Duration.ofSeconds(20)));
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.on("$iothub/methods/POST/hang/").size() == 1);
    client.disconnectForcibly(0, 1000);
    MethodResponse response = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(504);
    assertThat(response.payload().get("error").asText()).contains("disconnected before answering method 'hang'");
  }

  @Test
  void forgetsTheSubscriptionsOfACleanSession() throws Exception {
    start();
    MqttAsyncClient first = harness.connect("receiver");
    first.subscribe(INPUTS, 1).waitForCompletion(10_000);
    first.disconnect().waitForCompletion(10_000);
    MqttAsyncClient second = harness.client("receiver");
    Recorder inbox = new Recorder();
    second.setCallback(inbox);
    MqttConnectOptions clean = harness.options("receiver");
    clean.setCleanSession(true);
    IMqttToken connected = second.connect(clean);
    connected.waitForCompletion(10_000);
    assertThat(connected.getSessionPresent()).isFalse();
    harness.connect("sender").publish(EVENTS + "$.on=out", qos1("{}")).waitForCompletion(10_000);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> inbox.received.isEmpty());
    second.subscribe(INPUTS, 1).waitForCompletion(10_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> inbox.received.size() == 1);
  }
}
