package io.edgeai4j.runtime.hub;

import static io.edgeai4j.runtime.hub.StoreTestSupport.copyTree;
import static io.edgeai4j.runtime.hub.StoreTestSupport.options;
import static io.edgeai4j.runtime.hub.StoreTestSupport.producer;
import static io.edgeai4j.runtime.hub.StoreTestSupport.route;
import static io.edgeai4j.runtime.hub.StoreTestSupport.scrape;
import static io.edgeai4j.runtime.hub.StoreTestSupport.toConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.StoreTestSupport.MovableClock;
import io.edgeai4j.runtime.hub.StoreTestSupport.Opened;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingModule;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingUpstream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub with a store directory: what a new hub on the same directory delivers, and what it does not. */
class DurableHubTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path temp;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
  @AutoClose
  private final Opened open = new Opened();

  private LocalEdgeHub hub(HubOptions.Builder options, PrometheusRegistry registry) {
    return open.hub(options, registry);
  }

  private LocalEdgeHub hub(Path store, RouteSpec... routes) {
    return hub(options(store, new RecordingUpstream(true), clock, routes), new PrometheusRegistry());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    return open.add(closeable);
  }

  private static EdgeMessage message(String id, int n) {
    return EdgeMessage.builder().jsonBody("{\"n\":" + n + "}").messageId(id).correlationId("c-" + id)
        .property("n", String.valueOf(n)).property("note", "größe ✓").build();
  }

  @Test
  void aMessageIsOnDiskWhenSendReturns() throws Exception {
    Path store = temp.resolve("store");
    LocalEdgeHub first = hub(store, toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null));
    ModuleTransport producer = track(producer(first));

    producer.send("out", message("m-1", 1));
    Path crashCopy = temp.resolve("copy");
    copyTree(store, crashCopy); // the files as they are the moment send returned, the first hub still running

    LocalEdgeHub second = hub(crashCopy, toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null));
    assertThat(second.queueLengths()).containsEntry("consumer/in", 1);
    RecordingModule consumer = RecordingModule.completing();
    track(consumer.connect(second, "consumer"));
    await().atMost(WAIT).until(() -> consumer.offered.size() == 1);
    EdgeMessage got = consumer.offered.get(0);
    assertThat(got.messageId()).contains("m-1");
    assertThat(got.properties()).containsEntry("n", "1").containsEntry("note", "größe ✓");
    assertThat(got.systemProperties()).containsEntry(SystemProperties.CONNECTION_MODULE_ID, "producer")
        .containsEntry(SystemProperties.INPUT_NAME, "in");
  }

  @Test
  void aRestartDeliversEveryWaitingMessageOnceByPriorityThenFifoWithAllItsProperties() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec[] routes = {toConsumer("low", "low", 5, null), toConsumer("high", "high", 0, null)};
    LocalEdgeHub first = hub(store, routes);
    ModuleTransport producer = producer(first);
    List<String> high = new ArrayList<>();
    List<String> low = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String output = i % 3 == 0 ? "high" : "low";
      String id = output + "-" + i;
      producer.send(output, message(id, i));
      (output.equals("high") ? high : low).add(id);
    }
    producer.close();
    RecordingModule early = RecordingModule.completing();
    Map<String, Integer> waiting = first.queueLengths();
    long bytes = first.storeBytes();
    first.close();
    assertThat(waiting).containsEntry("consumer/in", 20);

    PrometheusRegistry registry = new PrometheusRegistry();
    clock.advance(Duration.ofMinutes(10));
    LocalEdgeHub second = hub(options(store, new RecordingUpstream(true), clock, routes), registry);
    assertThat(second.queueLengths()).containsEntry("consumer/in", 20);
    assertThat(second.storeBytes()).isEqualTo(bytes);
    assertThat(scrape(registry)).contains("edgeai4j_hub_store_replayed_total{endpoint=\"consumer/in\"} 20.0");
    RecordingModule consumer = RecordingModule.completing();
    ModuleTransport link = consumer.connect(second, "consumer");
    await().atMost(WAIT).until(() -> second.queueLengths().get("consumer/in") == 0 && consumer.offered.size() >= 20);

    List<String> expected = new ArrayList<>(high);
    expected.addAll(low);
    assertThat(consumer.offeredIds()).containsExactlyElementsOf(expected);
    for (EdgeMessage got : consumer.offered) {
      String id = got.messageId().orElseThrow();
      int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
      EdgeMessage sent = message(id, n);
      assertThat(got.body()).isEqualTo(sent.body());
      assertThat(got.properties()).isEqualTo(sent.properties());
      assertThat(got.systemProperties()).containsEntry(SystemProperties.CORRELATION_ID, "c-" + id)
          .containsEntry(SystemProperties.CONTENT_TYPE, "application/json")
          .containsEntry(SystemProperties.CONNECTION_DEVICE_ID, StoreTestSupport.DEVICE)
          .containsEntry(SystemProperties.OUTPUT_NAME, id.startsWith("high") ? "high" : "low")
          .containsEntry(SystemProperties.ENQUEUED_TIME, "2026-12-07T10:00:00Z");
    }
    assertThat(second.storeBytes()).isZero();
    link.close();
    second.close();
    assertThat(early.offered).isEmpty();

    LocalEdgeHub third = hub(store, routes);
    assertThat(third.queueLengths()).containsEntry("consumer/in", 0);
    assertThat(third.storeBytes()).isZero();
    try (var entries = java.nio.file.Files.list(store)) { // the drained logs were deleted at open
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store-format", "store.lock");
    }
  }

  @Test
  void aMessageThatExpiredWhileNoHubRanIsExpiredAtOpenAndCountedNotDelivered() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec[] routes = {toConsumer("short", "short", RouteSpec.DEFAULT_PRIORITY, Duration.ofSeconds(60)),
        toConsumer("long", "long", RouteSpec.DEFAULT_PRIORITY, null)};
    LocalEdgeHub first = hub(store, routes);
    ModuleTransport producer = producer(first);
    producer.send("short", message("short-1", 1));
    producer.send("long", message("long-2", 2));
    producer.send("short", message("short-3", 3));
    producer.close();
    first.close();

    clock.advance(Duration.ofSeconds(61)); // past the short TTL, within the default 7200 s
    PrometheusRegistry registry = new PrometheusRegistry();
    LocalEdgeHub second = hub(options(store, new RecordingUpstream(true), clock, routes), registry);
    assertThat(second.queueLengths()).containsEntry("consumer/in", 1);
    String metrics = scrape(registry);
    assertThat(metrics).contains("edgeai4j_hub_messages_expired_total{endpoint=\"consumer/in\"} 2.0")
        .contains("edgeai4j_hub_store_replayed_total{endpoint=\"consumer/in\"} 3.0");
    RecordingModule consumer = RecordingModule.completing();
    track(consumer.connect(second, "consumer"));
    await().atMost(WAIT).until(() -> consumer.offered.size() == 1);
    assertThat(consumer.offeredIds()).containsExactly("long-2");
    await().atMost(WAIT).until(() -> second.queueLengths().get("consumer/in") == 0);
    second.close();

    LocalEdgeHub third = hub(store, routes);
    assertThat(third.queueLengths()).containsEntry("consumer/in", 0);
  }

  @Test
  void aShortLivedMessageThatExpiresBehindALongerOneLeavesTheDiskAndComesBackExpired() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec[] routes = {toConsumer("short", "short", 1, Duration.ofSeconds(60)),
        toConsumer("long", "long", 1, null)};
    LocalEdgeHub first = hub(store, routes);
    ModuleTransport producer = producer(first);
    producer.send("long", message("long-1", 1));
    producer.send("short", message("short-2", 2));
    clock.advance(Duration.ofSeconds(61));
    await().atMost(WAIT).until(() -> first.queueLengths().get("consumer/in") == 1); // the cleanup expired it
    producer.close();
    first.close();

    PrometheusRegistry registry = new PrometheusRegistry();
    LocalEdgeHub second = hub(options(store, new RecordingUpstream(true), clock, routes), registry);
    assertThat(second.queueLengths()).containsEntry("consumer/in", 1);
    RecordingModule consumer = RecordingModule.completing();
    track(consumer.connect(second, "consumer"));
    await().atMost(WAIT).until(() -> consumer.offered.size() == 1);
    assertThat(consumer.offeredIds()).containsExactly("long-1");
  }

  @Test
  void deliveredAndRejectedMessagesAreNotDeliveredAgainAfterARestartAndAbandonedOnesAre() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec route = toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null);
    LocalEdgeHub first = hub(store, route);
    RecordingModule picky = new RecordingModule(m -> switch (m.messageId().orElseThrow().charAt(0)) {
      case 'c' -> MessageDisposition.COMPLETE;
      case 'r' -> MessageDisposition.REJECT;
      default -> MessageDisposition.ABANDON;
    });
    ModuleTransport link = picky.connect(first, "consumer");
    ModuleTransport producer = producer(first);
    for (String id : List.of("c-1", "r-2", "c-3", "a-4")) {
      producer.send("out", message(id, 0));
    }
    await().atMost(WAIT).until(() -> picky.offeredIds().stream().filter("a-4"::equals).count() >= 3);
    assertThat(picky.offeredIds()).startsWith("c-1", "r-2", "c-3", "a-4");
    link.close();
    producer.close();
    first.close();

    LocalEdgeHub second = hub(store, route);
    assertThat(second.queueLengths()).containsEntry("consumer/in", 1);
    RecordingModule consumer = RecordingModule.completing();
    ModuleTransport again = consumer.connect(second, "consumer");
    await().atMost(WAIT).until(() -> second.queueLengths().get("consumer/in") == 0 && consumer.offered.size() == 1);
    assertThat(consumer.offeredIds()).containsExactly("a-4");
    again.close();
    second.close();

    assertThat(hub(store, route).queueLengths()).containsEntry("consumer/in", 0);
  }

  @Test
  void upstreamMessagesTheTargetDidNotTakeAreOfferedAfterARestart() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec route = route("up", "FROM /messages/* INTO $upstream", RouteSpec.DEFAULT_PRIORITY, null);
    RecordingUpstream down = new RecordingUpstream(true);
    LocalEdgeHub first = hub(options(store, down, clock, route), new PrometheusRegistry());
    ModuleTransport producer = producer(first);
    producer.send("out", message("u-1", 1));
    await().atMost(WAIT).until(() -> down.taken.size() == 1);
    down.accepting = false;
    for (int i = 2; i <= 4; i++) {
      producer.send("out", message("u-" + i, i));
    }
    producer.close();
    first.close();

    RecordingUpstream up = new RecordingUpstream(true);
    LocalEdgeHub second = hub(options(store, up, clock, route), new PrometheusRegistry());
    await().atMost(WAIT).until(() -> up.taken.size() == 3);
    assertThat(up.taken).extracting(m -> m.messageId().orElseThrow()).containsExactly("u-2", "u-3", "u-4");
    assertThat(up.taken.get(0).properties()).isEqualTo(message("u-2", 2).properties());
    await().atMost(WAIT).until(() -> second.queueLengths().get("$upstream") == 0);
    second.close();

    RecordingUpstream later = new RecordingUpstream(true);
    LocalEdgeHub third = hub(options(store, later, clock, route), new PrometheusRegistry());
    assertThat(third.queueLengths()).containsEntry("$upstream", 0);
    assertThat(later.taken).isEmpty();
  }

  @Test
  void twinChangeNotificationsAndChildDeviceMessagesAreStoredToo() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec[] routes = {
        route("twin", "FROM /twinChangeNotifications INTO BrokeredEndpoint(\"/modules/consumer/inputs/twin\")",
            RouteSpec.DEFAULT_PRIORITY, null),
        route("child", "FROM /messages/* WHERE $connectionDeviceId = 'child'"
            + " INTO BrokeredEndpoint(\"/modules/consumer/inputs/child\")", RouteSpec.DEFAULT_PRIORITY, null)};
    LocalEdgeHub first = hub(store, routes);
    ModuleTransport producer = producer(first);
    producer.updateReportedProperties(JsonNodeFactory.instance.objectNode().put("state", "ready"));
    first.publishFromChildDevice(EdgeMessage.builder().jsonBody("{}").messageId("from-child")
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "child")
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "sensor").build());
    producer.close();
    first.close();

    LocalEdgeHub second = hub(store, routes);
    assertThat(second.queueLengths()).containsEntry("consumer/twin", 1).containsEntry("consumer/child", 1);
    RecordingModule consumer = RecordingModule.completing();
    track(consumer.connect(second, "consumer"));
    await().atMost(WAIT).until(() -> consumer.offered.size() == 2);
    assertThat(consumer.offered).anySatisfy(m -> assertThat(m.bodyAsString()).contains("\"state\":\"ready\""))
        .anySatisfy(m -> assertThat(m.messageId()).contains("from-child"));
  }

  @Test
  void closingWithAStoreKeepsTheQueuedMessagesAndDropsNone() throws Exception {
    Path store = temp.resolve("store");
    PrometheusRegistry registry = new PrometheusRegistry();
    RouteSpec route = toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null);
    LocalEdgeHub first = hub(options(store, new RecordingUpstream(true), clock, route), registry);
    ModuleTransport producer = producer(first);
    producer.send("out", message("k-1", 1));
    producer.send("out", message("k-2", 2));
    producer.close();
    first.close();

    assertThat(scrape(registry)).doesNotContain("edgeai4j_hub_messages_dropped_at_close_total{");
    assertThat(hub(store, route).queueLengths()).containsEntry("consumer/in", 2);
  }
}
