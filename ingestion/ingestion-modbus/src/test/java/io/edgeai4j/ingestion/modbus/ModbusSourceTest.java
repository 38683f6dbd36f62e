package io.edgeai4j.ingestion.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.ingestion.modbus.TestModbusServer.Request;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source against a real Modbus TCP server on loopback: grouping, failures, recovery, lifecycle. */
class ModbusSourceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  /** Thread names of the library's process-wide pools, which the source must not use. */
  private static final List<String> SHARED_POOLS = List.of("modbus-netty-event-loop", "modbus-shared-",
      "modbus-netty-wheel-timer", "channel-fsm-shared");

  @TempDir
  Path stateDirectory;

  private TestModbusServer server;
  private RecordingSourceContext context;
  private ModbusSource source;

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private ModbusSource start(int port, String extraSettings, String points) throws Exception {
    ModbusSettings settings = new ModbusSourceProvider().parse(SettingsTest.json("{'host': '127.0.0.1', 'port': "
        + port + (extraSettings.isEmpty() ? "" : ", " + extraSettings) + ", 'points': {" + points + "}}"));
    context = new RecordingSourceContext("test-source", stateDirectory);
    source = (ModbusSource) new ModbusSourceProvider().create(settings, context);
    source.start();
    return source;
  }

  private static List<String> threadsStartingWith(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith(prefix)).toList();
  }

  private boolean reported(SourceState state, String... detailParts) {
    return context.states().stream().anyMatch(s -> s.state() == state && s.detail() != null
        && List.of(detailParts).stream().allMatch(s.detail()::contains));
  }

  private List<Double> values(String sensor) {
    return context.readings(sensor).stream().map(r -> (Double) r.value()).toList();
  }

  @Test
  void pointsOfATableAreReadInContiguousRequestsWithinTheProtocolLimits() throws Exception {
    server = TestModbusServer.start();
    start(server.port(), "'unitId': 7, 'pollIntervalMillis': 3600000, 'maxGap': 100", """
        'a': {'table': 'holdingRegister', 'address': 0, 'dataType': 'int16'},
        'b': {'table': 'holdingRegister', 'address': 1, 'dataType': 'float32'},
        'c': {'table': 'holdingRegister', 'address': 10},
        'd': {'table': 'holdingRegister', 'address': 127},
        'e': {'table': 'holdingRegister', 'address': 200},
        'f': {'table': 'holdingRegister', 'address': 250, 'dataType': 'uint32'},
        'g': {'table': 'holdingRegister', 'address': 252},
        'h': {'table': 'inputRegister', 'address': 3},
        'i': {'table': 'coil', 'address': 0},
        'j': {'table': 'coil', 'address': 10},
        'k': {'table': 'coil', 'address': 120},
        'l': {'table': 'discreteInput', 'address': 5}""");

    await().atMost(PATIENCE).until(() -> context.readings().size() >= 12);

    assertThat(server.requests()).containsExactly(
        new Request(Table.HOLDING_REGISTER, 7, 0, 11), // a, b, c: gaps of 7 and less
        new Request(Table.HOLDING_REGISTER, 7, 127, 125), // d, e, f: a gap of 116 after c is over 100
        new Request(Table.HOLDING_REGISTER, 7, 252, 1), // g would make 126 registers
        new Request(Table.INPUT_REGISTER, 7, 3, 1),
        new Request(Table.COIL, 7, 0, 11), // i, j; k is 109 coils further
        new Request(Table.COIL, 7, 120, 1),
        new Request(Table.DISCRETE_INPUT, 7, 5, 1));
    assertThat(source.polls()).isEqualTo(1);
  }

  @Test
  void anUnreachableDeviceIsReportedWithHostPortAndReasonAndConnectedOnceItListens() throws Exception {
    int port = TestModbusServer.freePort();
    start(port, "'pollIntervalMillis': 100", "'flow': {'table': 'holdingRegister', 'address': 0}");

    await().atMost(PATIENCE).until(() -> reported(SourceState.DISCONNECTED,
        "cannot connect to 127.0.0.1:" + port + ": ", "Connection refused", "; next try in "));
    assertThat(context.readings()).isEmpty();

    server = TestModbusServer.startOn(port);
    server.holding(0, 42);

    await().atMost(PATIENCE).until(() -> !context.readings("flow").isEmpty());
    assertThat(values("flow").get(0)).isEqualTo(42.0);
    assertThat(context.lastState()).isEqualTo(SourceState.CONNECTED);
  }

  @Test
  void aStoppedServerIsReportedAndValuesFlowAgainOnceItIsBackOnTheSamePort() throws Exception {
    server = TestModbusServer.start();
    server.holding(0, 11);
    start(server.port(), "'pollIntervalMillis': 100", "'flow': {'table': 'holdingRegister', 'address': 0}");
    await().atMost(PATIENCE).until(() -> values("flow").contains(11.0));

    server.stop();

    await().atMost(PATIENCE).until(() -> reported(SourceState.DISCONNECTED,
        "lost connection to 127.0.0.1:" + server.port() + ": ", "; reconnecting in "));
    server.holding(0, 22);
    server.bind();

    await().atMost(PATIENCE).until(() -> values("flow").contains(22.0));
    StateChange last = context.states().get(context.states().size() - 1);
    assertThat(last.state()).isEqualTo(SourceState.CONNECTED);
    assertThat(last.detail()).startsWith("polling 127.0.0.1:" + server.port() + " unit 1: 1 points in 1 read requests");
  }

  @Test
  void aRequestThatTimesOutDropsTheConnectionAndTheSourceRecovers() throws Exception {
    server = TestModbusServer.start();
    server.holding(0, 5);
    server.delay(Duration.ofSeconds(1));
    start(server.port(), "'pollIntervalMillis': 100, 'timeoutMillis': 200",
        "'flow': {'table': 'holdingRegister', 'address': 0}");

    await().atMost(PATIENCE).until(() -> reported(SourceState.DISCONNECTED,
        "lost connection to 127.0.0.1:" + server.port() + ": TimeoutException: request timed out after 200ms"));
    server.delay(Duration.ZERO);

    await().atMost(PATIENCE).until(() -> values("flow").contains(5.0));
  }

  @Test
  void anExceptionResponseNamesTheRequestAndItsPointsWhileTheOtherRequestsGoOn() throws Exception {
    server = TestModbusServer.start();
    server.holding(0, 1);
    server.holding(2000, 2);
    start(server.port(), "'pollIntervalMillis': 100", """
        'good': {'table': 'holdingRegister', 'address': 0},
        'broken': {'table': 'holdingRegister', 'address': 3999, 'dataType': 'int32'},
        'far': {'table': 'holdingRegister', 'address': 2000}""");

    await().atMost(PATIENCE).until(() -> context.readings("good").size() >= 3 && context.readings("far").size() >= 3);

    assertThat(context.readings("broken")).isEmpty();
    assertThat(context.lastState()).isEqualTo(SourceState.CONNECTED);
    assertThat(context.states()).filteredOn(s -> s.state() == SourceState.CONNECTED).first()
        .extracting(StateChange::detail).isEqualTo("1 of 3 read requests to 127.0.0.1:" + server.port()
            + " failed: holdingRegister 3999-4000 (broken): ILLEGAL_DATA_ADDRESS (exception code 2)");
    assertThat(context.states()).as("reported once, not on every poll").hasSize(1);
    assertThat(values("good")).containsOnly(1.0);
    assertThat(values("far")).containsOnly(2.0);
  }

  @Test
  void pollsNeverOverlapAndOverrunsAreCounted() throws Exception {
    server = TestModbusServer.start();
    server.delay(Duration.ofMillis(30));
    start(server.port(), "'pollIntervalMillis': 10", """
        'a': {'table': 'holdingRegister', 'address': 0},
        'b': {'table': 'inputRegister', 'address': 0},
        'c': {'table': 'coil', 'address': 0}""");

    await().atMost(PATIENCE).until(() -> context.readings("a").size() >= 5);

    List<Instant> pollTimes = context.readings("a").stream().map(Reading::timestamp).toList();
    for (int i = 1; i < pollTimes.size(); i++) {
      // A poll sends 3 requests of at least 30 ms each; the next may start only when it is done.
      assertThat(Duration.between(pollTimes.get(i - 1), pollTimes.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(85));
    }
    assertThat(source.overruns()).isGreaterThanOrEqualTo(pollTimes.size() - 1L);
  }

  @Test
  void closeIsIdempotentStopsEveryThreadAndEmitsNothingMore() throws Exception {
    server = TestModbusServer.start();
    start(server.port(), "'pollIntervalMillis': 20", "'flow': {'table': 'holdingRegister', 'address': 0}");
    await().atMost(PATIENCE).until(() -> context.readings().size() >= 3);
    assertThat(threadsStartingWith("modbus-source-test-source")).hasSize(3);

    source.close();
    int readingsAtClose = context.readings().size();
    source.close();

    await().atMost(PATIENCE).until(() -> threadsStartingWith("modbus-source-test-source").isEmpty());
    await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> context.readings().size() == readingsAtClose);
    assertThat(context.states()).filteredOn(s -> s.state() == SourceState.STOPPED).hasSize(1);
    assertThat(context.lastState()).isEqualTo(SourceState.STOPPED);
    assertThat(SHARED_POOLS).allSatisfy(prefix -> assertThat(threadsStartingWith(prefix)).isEmpty());
    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closeWhileWaitingToReconnectReleasesEverything() throws Exception {
    int port = TestModbusServer.freePort();
    start(port, "'pollIntervalMillis': 5000", "'flow': {'table': 'coil', 'address': 0}");
    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);

    source.close();

    await().atMost(PATIENCE).until(() -> threadsStartingWith("modbus-source-test-source").isEmpty());
    assertThat(context.lastState()).isEqualTo(SourceState.STOPPED);
  }

  @Test
  void aSourceStartsOnce() throws Exception {
    start(TestModbusServer.freePort(), "", "'flow': {'table': 'coil', 'address': 0}");

    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
  }

  @Test
  void closeBeforeStartIsHarmless() throws Exception {
    ModbusSettings settings = new ModbusSourceProvider().parse(SettingsTest.json(
        "{'host': '127.0.0.1', 'points': {'flow': {'table': 'coil', 'address': 0}}}"));
    RecordingSourceContext unused = new RecordingSourceContext("never-started", stateDirectory);
    ModbusSource neverStarted = new ModbusSource(settings, unused);

    neverStarted.close();
    neverStarted.close();

    assertThat(unused.states()).extracting(StateChange::state).containsExactly(SourceState.STOPPED);
  }
}
