package io.edgeai4j.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The source against a real MQTT broker (embedded Moquette) on loopback. */
class MqttSourceBrokerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  @TempDir
  Path stateDirectory;

  private final MqttSourceProvider provider = new MqttSourceProvider();
  private final List<SensorSource> sources = new ArrayList<>();
  private static EmbeddedBroker broker;

  /** One broker for the class: stopping one takes Netty's two-second graceful shutdown. */
  @BeforeAll
  static void startBroker() throws Exception {
    broker = new EmbeddedBroker().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @AfterEach
  void closeSources() {
    sources.forEach(SensorSource::close);
  }

  @Test
  void nestedJsonOnAWildcardTopicBecomesTypedReadingsWithUnitsTimestampsAndTopic() throws Exception {
    RecordingSourceContext context = context("fleet");
    start(settings(broker.uri(), null, """
        {"fleet": {"topic": "sensors/+/telemetry", "timestampPath": "/ts",
                   "fields": {"{topic[1]}-temp": {"path": "/data/temp/value", "unitPath": "/data/temp/unit"},
                              "{topic[1]}-running": {"path": "/running"},
                              "{topic[1]}-mode": {"path": "/mode"}}},
         "press": {"topic": "plant/press", "fields": {"pressure": {"path": "/p/0", "unit": "bar"},
                                                      "cycles": {"path": "/cycles"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);

    broker.publish("sensors/oven/telemetry", """
        {"ts": "2024-05-01T10:00:00.250Z", "data": {"temp": {"value": 212.5, "unit": "degC"}}, "running": true,
         "mode": "auto"}""", 1);
    broker.publish("plant/press", "{\"p\": [4.25, 0], \"cycles\": 1200}", 0);
    broker.publish("sensors/press7/telemetry", "{\"ts\": 1714557600250, \"data\": {\"temp\": {\"value\": 40}}}", 1);

    await().atMost(PATIENCE).until(() -> context.readings().size() >= 8);
    Reading ovenTemp = only(context, "oven-temp");
    assertThat(ovenTemp.value()).isEqualTo(212.5);
    assertThat(ovenTemp.unit()).isEqualTo("degC");
    assertThat(ovenTemp.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.250Z"));
    assertThat(ovenTemp.properties()).containsEntry("mqttTopic", "sensors/oven/telemetry").hasSize(1);
    assertThat(only(context, "oven-running").value()).isEqualTo(true);
    assertThat(only(context, "oven-mode").value()).isEqualTo("auto");
    Reading pressure = only(context, "pressure");
    assertThat(pressure.value()).isEqualTo(4.25);
    assertThat(pressure.unit()).isEqualTo("bar");
    assertThat(pressure.properties()).containsEntry("mqttTopic", "plant/press");
    assertThat(only(context, "cycles").value()).isEqualTo(1200L);
    Reading pressTemp = only(context, "press7-temp");
    assertThat(pressTemp.value()).isEqualTo(40L);
    assertThat(pressTemp.timestamp()).isEqualTo(Instant.ofEpochMilli(1714557600250L));
    assertThat(pressTemp.unit()).isNull();
    assertThat(only(context, "press7-running").properties()).containsEntry("mqttError", "no value at /running");
  }

  @Test
  void malformedJsonAndMissingFieldsArriveAsNullReadingsWithTheError() throws Exception {
    RecordingSourceContext context = context("press");
    start(settings(broker.uri(), null, """
        {"press": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}, "temp": {"path": "/t"}}}}"""),
        context);
    awaitState(context, SourceState.CONNECTED);

    broker.publish("plant/press", "pressure=4.2", 1);
    broker.publish("plant/press", "{\"p\": 4.2}", 1);

    await().atMost(PATIENCE).until(() -> context.readings().size() >= 4);
    List<Reading> readings = context.readings();
    assertThat(readings.subList(0, 2)).extracting(Reading::sensor).containsExactly("pressure", "temp");
    assertThat(readings.subList(0, 2)).allSatisfy(reading -> {
      assertThat(reading.value()).isNull();
      assertThat(reading.properties().get("mqttError")).startsWith("payload is not JSON: Unrecognized token 'pressure'");
    });
    assertThat(readings.get(2).value()).isEqualTo(4.2);
    assertThat(readings.get(2).properties()).doesNotContainKey("mqttError");
    assertThat(readings.get(3).value()).isNull();
    assertThat(readings.get(3).properties()).containsEntry("mqttError", "no value at /t");
  }

  @Test
  void aJsonArrayOfNumbersArrivesAsASampleBlockAtTheConfiguredRateAndAnyOtherArrayAsANullReading() throws Exception {
    RecordingSourceContext context = context("vib").withSampleRate("vibration", 1600);
    start(settings(broker.uri(), null, """
        {"vib": {"topic": "machine/vib", "timestampPath": "/ts",
                 "fields": {"vibration": {"path": "/samples", "unit": "g"}, "unrated": {"path": "/samples"},
                            "labels": {"path": "/labels"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);

    broker.publish("machine/vib", """
        {"ts": "2024-05-01T10:00:00Z", "samples": [0.5, -0.25, 1e-3, 7], "labels": ["a", "b"]}""", 1);

    await().atMost(PATIENCE).until(() -> context.blocks().size() >= 1 && context.readings().size() >= 2);
    assertThat(context.blocks()).singleElement().satisfies(block -> {
      assertThat(block.sensor()).isEqualTo("vibration");
      assertThat(block.values()).containsExactly(0.5, -0.25, 1e-3, 7);
      assertThat(block.start()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
      assertThat(block.sampleRateHz()).isEqualTo(1600);
      assertThat(block.timeOf(3)).isEqualTo(Instant.parse("2024-05-01T10:00:00.001875Z"));
      assertThat(block.unit()).isEqualTo("g");
      assertThat(block.properties()).containsEntry("mqttTopic", "machine/vib")
          .containsEntry("mqttTimestampSource", "payload");
    });
    assertThat(only(context, "unrated").properties()).containsEntry("mqttError", "an array of 4 samples at /samples"
        + " needs a sample rate to become a block; set sensors.unrated.sampleRateHz in the module twin");
    assertThat(only(context, "labels").properties()).containsEntry("mqttError", "element 0 of the array of 2 at"
        + " /labels is a string \"a\", expected a number (strings are not converted)");
  }

  /**
   * The broker's last known value arrives on subscription. (Moquette 0.17 sends it without the RETAIN
   * flag that MQTT 3.1.1 [MQTT-3.3.1-8] asks for, so the {@code mqttRetained} property is proven in
   * {@link PayloadMapperTest}, not here.)
   */
  @Test
  void aRetainedMessageArrivesOnSubscription() throws Exception {
    broker.publish("plant/retained", "{\"p\": 7}", 1, true);
    RecordingSourceContext context = context("retained");
    start(settings(broker.uri(), null, """
        {"t": {"topic": "plant/retained", "fields": {"pressure": {"path": "/p"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);
    broker.publish("plant/retained", "{\"p\": 8}", 1);

    await().atMost(PATIENCE).until(() -> context.readings("pressure").size() == 2);
    assertThat(context.readings("pressure")).extracting(Reading::value).containsExactly(7L, 8L);
    broker.publish("plant/retained", "", 1, true);
  }

  @Test
  void aBrokerRestartIsReportedAndMessagesFlowAgainAfterTheSourceResubscribes() throws Exception {
    RecordingSourceContext context = context("restart");
    start(settings(broker.uri(), null, """
        {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);
    broker.publish("plant/press", "{\"p\": 1}", 1);
    await().atMost(PATIENCE).until(() -> context.readings("pressure").size() == 1);

    int beforeStop = context.states().size();
    broker.stop();
    StateChange lost = awaitState(context, SourceState.DISCONNECTED, beforeStop);
    assertThat(lost.detail()).startsWith("lost the connection to " + broker.uri() + ": ").contains("Paho reason code");
    // The broker forgot every session: only a new SUBSCRIBE brings the next message.
    int beforeStart = context.states().size();
    broker.start();
    awaitState(context, SourceState.CONNECTED, beforeStart);
    broker.publish("plant/press", "{\"p\": 2}", 1);

    await().atMost(PATIENCE).until(() -> context.readings("pressure").size() == 2);
    assertThat(context.readings("pressure")).extracting(Reading::value).containsExactly(1L, 2L);
    assertThat(context.states()).extracting(StateChange::state)
        .containsSubsequence(SourceState.CONNECTED, SourceState.DISCONNECTED, SourceState.CONNECTED);
  }

  /**
   * With a persistent session (cleanSession false) the broker keeps QoS 1 messages published while the
   * source was away and delivers them when a source with the same client id comes back; with a clean
   * session they are gone. A marker published after the reconnect shows that every earlier message had
   * its chance to arrive.
   */
  @ParameterizedTest(name = "cleanSession={0}")
  @ValueSource(booleans = {false, true})
  void qos1MessagesPublishedWhileAwayArriveAfterReconnectOnlyWithAPersistentSession(boolean cleanSession)
      throws Exception {
    String clientId = "persistent-" + CLIENT_IDS.incrementAndGet();
    String subscriptions = """
        {"t": {"topic": "plant/+", "fields": {"{topic[1]}": {"path": "/v"}}}}""";
    ObjectNode settings = settings(broker.uri(), clientId, subscriptions);
    settings.put("cleanSession", cleanSession);
    RecordingSourceContext first = context("first");
    SensorSource away = start(settings, first);
    awaitState(first, SourceState.CONNECTED);
    away.close();
    // Away means away for the broker too: Moquette handles the DISCONNECT on its own threads, and a message it
    // routes before that goes to the closing connection, to be re-sent only 5 s later (after the marker).
    await().atMost(PATIENCE).until(() -> !broker.isConnected(clientId));

    for (int i = 1; i <= 3; i++) {
      broker.publish("plant/offline", "{\"v\": " + i + "}", 1);
    }
    RecordingSourceContext second = context("second");
    start(settings, second);
    awaitState(second, SourceState.CONNECTED);
    broker.publish("plant/marker", "{\"v\": 0}", 1);

    await().atMost(PATIENCE).until(() -> second.readings("marker").size() == 1);
    List<Object> offline = second.readings("offline").stream().map(Reading::value).toList();
    if (cleanSession) {
      assertThat(offline).isEmpty();
    } else {
      assertThat(offline).containsExactly(1L, 2L, 3L);
      assertThat(second.states().get(0).detail()).contains("session resumed");
    }
    assertThat(first.readings()).isEmpty();
  }

  @Test
  void aDroppedConnectionIsRetriedAndTheSessionKeepsItsSubscription() throws Exception {
    String clientId = "dropped-" + CLIENT_IDS.incrementAndGet();
    RecordingSourceContext context = context("dropped");
    start(settings(broker.uri(), clientId, """
        {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);

    int beforeDrop = context.states().size();
    assertThat(broker.dropConnectionOf(clientId)).isTrue();
    awaitState(context, SourceState.DISCONNECTED, beforeDrop);
    awaitState(context, SourceState.CONNECTED, indexOfFirst(context, SourceState.DISCONNECTED, beforeDrop));
    broker.publish("plant/press", "{\"p\": 3}", 1);

    await().atMost(PATIENCE).until(() -> context.readings("pressure").size() == 1);
  }

  @Test
  void credentialsAreSentAndARefusalIsReportedWithPahosReasonCode() throws Exception {
    String subscriptions = """
        {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}""";
    ObjectNode good = settings(broker.uri(), null, subscriptions);
    good.put("username", EmbeddedBroker.USER).put("password", EmbeddedBroker.PASSWORD);
    ObjectNode bad = good.deepCopy().put("password", "wrong");
    RecordingSourceContext accepted = context("accepted");
    RecordingSourceContext refused = context("refused");

    start(good, accepted);
    start(bad, refused);

    awaitState(accepted, SourceState.CONNECTED);
    StateChange refusal = awaitState(refused, SourceState.DISCONNECTED);
    assertThat(refusal.detail()).startsWith("cannot connect to " + broker.uri() + " as edgeai4j-refused: ")
        .containsPattern("Paho reason code (4|5)\\]");
  }

  @Test
  void anUnreachableBrokerIsReportedAndCloseEndsEveryThreadEvenWhileRetrying() throws Exception {
    EmbeddedBroker nobody = new EmbeddedBroker();
    RecordingSourceContext context = context("unreachable");
    SensorSource source = start(settings(nobody.uri(), "unreachable-client", """
        {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}"""), context);

    StateChange failure = awaitState(context, SourceState.DISCONNECTED);
    assertThat(failure.detail()).startsWith("cannot connect to " + nobody.uri() + " as unreachable-client: ")
        .contains("Paho reason code 32103");
    assertThat(threadsOf("unreachable-client", "unreachable")).contains("mqtt-source-unreachable");
    source.close();
    source.close();

    await().atMost(PATIENCE).until(() -> threadsOf("unreachable-client", "unreachable").isEmpty());
  }

  /** A broker that takes the TCP connection but never answers CONNECT: each attempt times out. */
  @Test
  void aBrokerThatNeverAnswersIsReportedAfterTheConnectTimeoutAndTriedAgain() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      RecordingSourceContext context = context("silent");
      ObjectNode settings = settings(silent.uri(), "silent-client", """
          {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}""");
      start(settings.put("connectTimeoutMillis", 1000), context);

      StateChange timeout = awaitState(context, SourceState.DISCONNECTED);
      assertThat(timeout.detail()).startsWith("cannot connect to " + silent.uri() + " as silent-client: ")
          .contains("Paho reason code 32000");
      await().atMost(PATIENCE).until(() -> silent.connections() >= 2);
      assertThat(context.states()).extracting(StateChange::detail).noneMatch(detail -> detail.contains("32110"));
    }
  }

  @Test
  void closeDuringAConnectionAttemptReturnsAndEndsEveryThread() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      RecordingSourceContext context = context("hanging");
      ObjectNode settings = settings(silent.uri(), "hanging-client", """
          {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}""");
      SensorSource source = start(settings.put("connectTimeoutMillis", 1000), context);
      await().atMost(PATIENCE).until(() -> silent.connections() == 1);

      source.close();

      // The connector pool has terminated when close() returns; its thread ends a moment after.
      await().atMost(PATIENCE).until(() -> threadsOf("hanging-client", "hanging").isEmpty());
      assertThat(context.states()).as("nothing is reported once closing").isEmpty();
    }
  }

  @Test
  void closeDisconnectsEndsEveryThreadAndIsIdempotent() throws Exception {
    RecordingSourceContext context = context("closing");
    SensorSource source = start(settings(broker.uri(), "closing-client", """
        {"t": {"topic": "plant/press", "fields": {"pressure": {"path": "/p"}}}}"""), context);
    awaitState(context, SourceState.CONNECTED);
    assertThat(threadsOf("closing-client", "closing")).isNotEmpty();

    source.close();
    int statesAtClose = context.states().size();
    source.close();
    broker.publish("plant/press", "{\"p\": 1}", 1);

    await().atMost(PATIENCE).until(() -> threadsOf("closing-client", "closing").isEmpty());
    assertThat(context.readings()).isEmpty();
    assertThat(context.states()).hasSize(statesAtClose);
  }

  private static List<String> threadsOf(String clientId, String sourceName) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains(clientId) || name.equals("mqtt-source-" + sourceName))
        .toList();
  }

  private RecordingSourceContext context(String sourceName) {
    return new RecordingSourceContext(sourceName, stateDirectory.resolve(sourceName));
  }

  private SensorSource start(ObjectNode settings, RecordingSourceContext context) throws Exception {
    SensorSource source = provider.create(provider.parse(settings), context);
    sources.add(source);
    source.start();
    return source;
  }

  /** Waits for the first report of {@code state} at or after index {@code from} of the context's states. */
  private static StateChange awaitState(RecordingSourceContext context, SourceState state, int from) {
    return await().atMost(PATIENCE).until(() -> context.states().stream().skip(from)
        .filter(change -> change.state() == state).findFirst().orElse(null), change -> change != null);
  }

  private static int indexOfFirst(RecordingSourceContext context, SourceState state, int from) {
    List<StateChange> states = context.states();
    for (int i = from; i < states.size(); i++) {
      if (states.get(i).state() == state) {
        return i;
      }
    }
    return -1;
  }

  /** Waits for the first report of {@code state}. */
  private static StateChange awaitState(RecordingSourceContext context, SourceState state) {
    return awaitState(context, state, 0);
  }

  private static Reading only(RecordingSourceContext context, String sensor) {
    assertThat(context.readings(sensor)).as("readings of " + sensor).hasSize(1);
    return context.readings(sensor).get(0);
  }

  private static ObjectNode settings(String brokerUri, String clientId, String subscriptions) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode settings = json.createObjectNode();
    settings.put("brokerUri", brokerUri);
    if (clientId != null) {
      settings.put("clientId", clientId);
    }
    settings.put("maxReconnectDelayMillis", 500);
    settings.set("subscriptions", json.readTree(subscriptions));
    return settings;
  }
}
