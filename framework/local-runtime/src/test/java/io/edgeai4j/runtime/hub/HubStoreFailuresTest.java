package io.edgeai4j.runtime.hub;

import static io.edgeai4j.runtime.hub.StoreTestSupport.options;
import static io.edgeai4j.runtime.hub.StoreTestSupport.producer;
import static io.edgeai4j.runtime.hub.StoreTestSupport.route;
import static io.edgeai4j.runtime.hub.StoreTestSupport.scrape;
import static io.edgeai4j.runtime.hub.StoreTestSupport.toConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.StoreTestSupport.Opened;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingModule;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingUpstream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that is full, cannot be written, or cannot be opened: refused with clear errors, nothing lost quietly. */
class HubStoreFailuresTest {
  private static final RouteSpec ROUTE = toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null);

  @TempDir
  Path temp;

  @AutoClose
  private final Opened open = new Opened();

  private LocalEdgeHub hub(HubOptions.Builder options, PrometheusRegistry registry) {
    return open.hub(options, registry);
  }

  private static HubOptions.Builder options(Path store, RouteSpec... routes) {
    return StoreTestSupport.options(store, new RecordingUpstream(true), Clock.systemUTC(), routes);
  }

  private static EdgeMessage message(int bodyBytes) {
    return EdgeMessage.builder().body(new byte[bodyBytes]).build();
  }

  @Test
  void aFullStoreStaysFullAfterARestartAndRefusesWithARetryableError() throws Exception {
    Path store = temp.resolve("store");
    LocalEdgeHub first = hub(options(store, ROUTE).maxStoreBytes(4000), new PrometheusRegistry());
    ModuleTransport producer = producer(first);
    int accepted = 0;
    while (true) {
      try {
        producer.send("out", message(900));
        accepted++;
      } catch (TransportException e) {
        assertThat(e.isRetryable()).isTrue();
        break;
      }
    }
    long bytes = first.storeBytes();
    producer.close();
    first.close();
    int stored = accepted;
    assertThat(stored).isBetween(2, 4);

    LocalEdgeHub second = hub(options(store, ROUTE).maxStoreBytes(4000), new PrometheusRegistry());
    assertThat(second.storeBytes()).isEqualTo(bytes);
    ModuleTransport again = producer(second);
    assertThatThrownBy(() -> again.send("out", message(900))).isInstanceOfSatisfying(TransportException.class,
        e -> assertThat(e.isRetryable()).isTrue()).hasMessageContaining("store is full");

    RecordingModule consumer = RecordingModule.completing();
    open.add(consumer.connect(second, "consumer"));
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.offered.size() == stored && second.storeBytes() == 0);
    again.send("out", message(900));
  }

  @Test
  void aWriteThatFailsRefusesTheMessageRetryablyNamingTheDirectoryAndKeepsNoCopy() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec toUpstream = route("up", "FROM /messages/* INTO $upstream", 0, null);
    PrometheusRegistry registry = new PrometheusRegistry();
    RecordingUpstream upstream = new RecordingUpstream(false);
    LocalEdgeHub first = hub(StoreTestSupport.options(store, upstream, Clock.systemUTC(), toUpstream, ROUTE),
        registry);
    // A file where the consumer's log directory goes: its creation fails (as a full disk or a lost mount would).
    Path blocked = store.resolve(HubStore.key("consumer/in", RouteSpec.DEFAULT_PRIORITY));
    Files.writeString(blocked, "in the way");
    ModuleTransport producer = producer(first);

    assertThatThrownBy(() -> producer.send("out", message(10))).isInstanceOfSatisfying(TransportException.class,
        e -> assertThat(e.isRetryable()).isTrue()).hasMessageContaining(store.toString())
        .hasMessageContaining("FileAlreadyExistsException");

    // The $upstream copy was written before the consumer's failed: it was taken back.
    assertThat(store.resolve(HubStore.key("$upstream", 0))).isDirectory();
    assertThat(first.queueLengths()).containsEntry("$upstream", 0).containsEntry("consumer/in", 0);
    assertThat(first.storeBytes()).isZero();
    assertThat(scrape(registry)).contains("edgeai4j_hub_store_write_failures_total{operation=\"write\"} 1.0");
    producer.close();
    first.close();

    Files.delete(blocked);
    upstream.accepting = true;
    PrometheusRegistry secondRegistry = new PrometheusRegistry();
    hub(StoreTestSupport.options(store, upstream, Clock.systemUTC(), toUpstream, ROUTE), secondRegistry);
    assertThat(scrape(secondRegistry)).doesNotContain("edgeai4j_hub_store_replayed_total{");
    assertThat(upstream.taken).isEmpty();
  }

  @Test
  void aStoreDirectoryThatIsAFileIsRefusedWhenTheOptionsAreBuilt() throws Exception {
    Path file = Files.writeString(temp.resolve("file"), "x");
    assertThatThrownBy(() -> options(file, ROUTE).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("storeDirectory " + file + " is a file, expected a directory (or a path where one can be"
            + " created)");
  }

  @Test
  void aStoreDirectoryThatCannotBeCreatedFailsTheHubNamingIt() throws Exception {
    Path store = Files.writeString(temp.resolve("file"), "x").resolve("store");
    assertThatThrownBy(() -> hub(options(store, ROUTE), new PrometheusRegistry()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot open the hub's store directory " + store + ": ")
        .hasMessageContaining("FileSystemException");
  }

  @Test
  void aDirectoryThatHoldsSomethingElseIsNotTakenForAStore() throws Exception {
    Path store = Files.createDirectories(temp.resolve("store"));
    Files.writeString(store.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> hub(options(store, ROUTE), new PrometheusRegistry()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is not empty and has no store-format file");
  }

  @Test
  void aSecondHubOnTheSameDirectoryIsRefused() throws Exception {
    Path store = temp.resolve("store");
    hub(options(store, ROUTE), new PrometheusRegistry());
    assertThatThrownBy(() -> hub(options(store, ROUTE), new PrometheusRegistry()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is in use by another hub");
  }

  @Test
  void aRecordOfAnotherFormatVersionFailsTheOpenNamingTheLog() throws Exception {
    Path store = temp.resolve("store");
    LocalEdgeHub first = hub(options(store, ROUTE), new PrometheusRegistry());
    ModuleTransport producer = producer(first);
    producer.send("out", message(10));
    producer.close();
    first.close();
    Path log = store.resolve(HubStore.key("consumer/in", RouteSpec.DEFAULT_PRIORITY));
    try (io.edgeai4j.buffer.DiskBuffer buffer = io.edgeai4j.buffer.DiskBuffer.open(
        io.edgeai4j.buffer.DiskBufferOptions.builder(log).segmentBytes(PriorityLog.SEGMENT_BYTES)
            .maxBytes(Long.MAX_VALUE / 4).build())) {
      buffer.append(new byte[] {9, 0, 0});
    }

    assertThatThrownBy(() -> hub(options(store, ROUTE), new PrometheusRegistry()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("The hub store " + log + " holds a record it cannot read (record 2)")
        .hasMessageContaining("format version 9, expected version 1");
  }
}
