package io.edgeai4j.ingestion.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.buffer.DiskBuffer;
import io.edgeai4j.buffer.DiskBufferOptions;
import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The outbox against a hub that goes away and comes back (a sender that fails while "down"), and its files. */
class OutboxTest {
  @TempDir Path dir;

  private final List<Integer> delivered = new CopyOnWriteArrayList<>();
  private volatile boolean hubDown;
  private final Outbox.Sender hub = (output, message) -> {
    if (hubDown) {
      throw new TransportException("edgeHub unreachable", true, null);
    }
    delivered.add(Integer.parseInt(message.property("n").orElseThrow()));
  };

  private static OutgoingMessage numbered(int n, int padding) {
    return new OutgoingMessage("readings", EdgeMessage.builder().jsonBody("{\"pad\":\"" + "x".repeat(padding) + "\"}")
        .property("n", Integer.toString(n)).build());
  }

  private Outbox open(DeliveryConfig config) throws Exception {
    return Outbox.open(hub, dir, config, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"));
  }

  @Test
  void keepsOrderThroughMemoryDiskAndBackWhileTheHubIsAway() throws Exception {
    try (Outbox outbox = open(DeliveryConfig.of(5, null, null, null))) {
      outbox.start();
      hubDown = true;
      for (int i = 0; i < 100; i++) {
        outbox.offer(numbered(i, 10));
      }
      OutboxStats away = outbox.stats();
      assertThat(away.spilledMessages()).as("every message is on disk until the hub takes it").isEqualTo(100);
      assertThat(away.memoryQueued()).as("the newest, also in memory").isEqualTo(5);
      await().atMost(Duration.ofSeconds(20)).until(() -> outbox.stats().sendFailures() > 0);
      assertThat(outbox.stats().lastError()).contains("edgeHub unreachable");
      hubDown = false;
      for (int i = 100; i < 120; i++) {
        outbox.offer(numbered(i, 10));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 120);
      assertThat(delivered).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
      OutboxStats after = outbox.stats();
      assertThat(after.sent()).isEqualTo(120);
      assertThat(after.spilledMessages()).isZero();
      assertThat(after.lastError()).isNull();
      assertThat(after.droppedOldest()).isZero();
    }
  }

  @Test
  void retriesBackOffWhileMessagesKeepArriving() throws Exception {
    List<Long> attempts = new CopyOnWriteArrayList<>();
    try (Outbox outbox = Outbox.open((output, message) -> {
      attempts.add(System.nanoTime());
      throw new TransportException("edgeHub unreachable", true, null);
    }, dir, DeliveryConfig.of(5, null, null, null), "test", IngestionMetrics.forRegistry(new PrometheusRegistry())
        .outbox("t"), Outbox.DEFAULT_BACKOFF.withJitter(0))) {
      outbox.start();
      Thread producer = new Thread(() -> {
        for (int i = 0; i < 400 && attempts.size() < 4; i++) {
          outbox.offer(numbered(i, 10));
          LockSupport.parkNanos(2_000_000);  // A sensor producing every 2 ms.
        }
      });
      producer.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> attempts.size() >= 4);
      producer.join();
      // 100, 200, 400 ms apart at least: new messages do not cut the backoff short.
      for (int i = 1; i < 4; i++) {
        long gapMillis = (attempts.get(i) - attempts.get(i - 1)) / 1_000_000;
        assertThat(gapMillis).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(90L << (i - 1));
      }
    }
  }

  @Test
  void aFullBufferDropsTheOldestMessagesAndCountsThem() throws Exception {
    int count = 3000;
    try (Outbox outbox = open(DeliveryConfig.of(10, 1L << 20, null, null))) {
      outbox.start();
      hubDown = true;
      for (int i = 0; i < count; i++) {
        outbox.offer(numbered(i, 1000));  // About 1.1 KB each: 3000 of them do not fit in 1 MiB.
      }
      OutboxStats full = outbox.stats();
      assertThat(full.droppedOldest()).isPositive();
      assertThat(full.spilledBytes()).isLessThanOrEqualTo(1L << 20);
      hubDown = false;
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == count - full.droppedOldest());
      // The buffer kept the newest, whether they were also in memory or not; order holds throughout.
      assertThat(delivered).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
      assertThat(delivered.get(0)).isEqualTo((int) full.droppedOldest());
      assertThat(delivered.get(delivered.size() - 1)).isEqualTo(count - 1);
    }
  }

  @Test
  void aStopKeepsUnsentMessagesOnDiskAndTheNextStartSendsThemFirst() throws Exception {
    hubDown = true;
    Outbox first = open(DeliveryConfig.of(3, null, null, null));
    first.start();
    for (int i = 0; i < 8; i++) {
      first.offer(numbered(i, 10));
    }
    first.close();
    first.close();  // Idempotent.
    assertThat(dir.resolve("head")).doesNotExist();

    hubDown = false;
    try (Outbox second = open(DeliveryConfig.of(3, null, null, null))) {
      assertThat(second.stats().memoryQueued()).isZero();
      assertThat(second.stats().spilledMessages()).isEqualTo(8);
      second.offer(numbered(8, 10));
      second.start();
      assertThat(second.awaitEmpty(Duration.ofSeconds(20))).isTrue();
      assertThat(delivered).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }
  }

  @Test
  void encodingKeepsEverythingEdgeHubRoutesOn() throws Exception {
    EdgeMessage message = EdgeMessage.builder().jsonBody("{\"rms\":1.5}").property("sensor", "vibration")
        .property("label", "outerRace").messageId("m-1").build();
    OutgoingMessage decoded = OutgoingMessage.decode(new OutgoingMessage("features", message).encode());
    assertThat(decoded.output()).isEqualTo("features");
    assertThat(decoded.message()).isEqualTo(message);
    assertThat(decoded.message().contentType()).contains("application/json");
  }

  @Test
  void aMessageStaysOnDiskUntilTheHubHasAcceptedIt() throws Exception {
    CountDownLatch inSend = new CountDownLatch(1);
    CountDownLatch accept = new CountDownLatch(1);
    Outbox.Sender slowHub = (output, message) -> {
      inSend.countDown();
      try {
        accept.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      delivered.add(Integer.parseInt(message.property("n").orElseThrow()));
    };
    Path whileSending = dir.resolve("copy-while-sending");
    Path afterAccepted = dir.resolve("copy-after-accepted");
    try (Outbox outbox = Outbox.open(slowHub, dir.resolve("outbox"), DeliveryConfig.DEFAULT, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      outbox.start();
      outbox.offer(numbered(0, 10));
      assertThat(inSend.await(20, TimeUnit.SECONDS)).isTrue();
      copyTree(dir.resolve("outbox"), whileSending);  // the files as a kill would leave them, mid-send
      accept.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> outbox.stats().spilledMessages() == 0);
      copyTree(dir.resolve("outbox"), afterAccepted);
    }
    assertThat(delivered).containsExactly(0);

    try (Outbox restarted = Outbox.open(hub, whileSending, DeliveryConfig.DEFAULT, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      restarted.start();
      assertThat(restarted.awaitEmpty(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(delivered).as("sent again: the hub had not accepted it when the copy was taken").containsExactly(0, 0);
    try (Outbox restarted = Outbox.open(hub, afterAccepted, DeliveryConfig.DEFAULT, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      assertThat(restarted.stats().spilledMessages()).as("accepted, so removed").isZero();
    }
  }

  @Test
  void aMessageWithoutAnIdGetsOneThatItsRetryAfterARestartKeeps() throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    Outbox.Sender recording = (output, message) -> {
      ids.add(message.messageId().orElseThrow());
      hub.send(output, message);
    };
    hubDown = true;
    try (Outbox first = Outbox.open(recording, dir, DeliveryConfig.DEFAULT, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      first.start();
      first.offer(numbered(0, 10));
      first.offer(new OutgoingMessage("readings", numbered(1, 10).message().toBuilder().messageId("mine").build()));
      await().atMost(Duration.ofSeconds(20)).until(() -> !ids.isEmpty());
    }
    String refused = ids.get(0);
    hubDown = false;
    try (Outbox second = Outbox.open(recording, dir, DeliveryConfig.DEFAULT, "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      second.start();
      assertThat(second.awaitEmpty(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(UUID.fromString(refused)).isNotNull();
    assertThat(ids.subList(ids.size() - 2, ids.size())).containsExactly(refused, "mine");
    assertThat(delivered).containsExactly(0, 1);
  }

  @Test
  void reconfiguringTheLimitAndFsyncKeepsWaitingMessagesInOrder() throws Exception {
    hubDown = true;
    try (Outbox outbox = open(DeliveryConfig.of(5, null, null, null))) {
      outbox.start();
      for (int i = 0; i < 40; i++) {
        outbox.offer(numbered(i, 10));
      }
      outbox.reconfigure(DeliveryConfig.of(3, 2L << 20, DeliveryConfig.Fsync.ALWAYS, null));
      for (int i = 40; i < 60; i++) {
        outbox.offer(numbered(i, 10));
      }
      outbox.reconfigure(DeliveryConfig.of(100, 2L << 20, DeliveryConfig.Fsync.NEVER, null));
      assertThat(outbox.stats().spilledMessages()).isEqualTo(60);
      assertThat(outbox.stats().spillMaxBytes()).isEqualTo(2L << 20);
      hubDown = false;
      assertThat(outbox.awaitEmpty(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(delivered).hasSize(60).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void messagesAnEarlierVersionSavedAtStopAreSentFirstAndTheirDirectoryRemoved() throws Exception {
    try (DiskBuffer head = DiskBuffer.open(DiskBufferOptions.builder(dir.resolve("head")).build())) {
      for (int i = 0; i < 3; i++) {
        head.append(numbered(i, 10).encode());
      }
    }
    try (Outbox outbox = open(DeliveryConfig.DEFAULT)) {
      assertThat(outbox.stats().spilledMessages()).isEqualTo(3);
      outbox.offer(numbered(3, 10));
      outbox.start();
      assertThat(outbox.awaitEmpty(Duration.ofSeconds(20))).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(dir.resolve("head")));
    }
    assertThat(delivered).containsExactly(0, 1, 2, 3);
  }

  @ParameterizedTest(name = "fsync={0}")
  @CsvSource({
      // fsync,   unforced right after the offers (interval: whether its thread ran yet), forced by the next tick
      "always,   none,                                                                  true",
      "interval, either,                                                                true",
      "never,    some,                                                                  false"})
  void theFsyncSettingDecidesWhatStaysUnforcedAndTheMetricsSayIt(String fsync, String unforcedAtFirst,
      boolean forcedSoon) throws Exception {
    OutboxMetrics metrics = IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test");
    hubDown = true;
    DeliveryConfig config = DeliveryConfig.of(5, null, DeliveryConfig.Fsync.parse(fsync), 200L);
    try (Outbox outbox = Outbox.open(hub, dir, config, "test", metrics)) {
      for (int i = 0; i < 10; i++) {
        outbox.offer(numbered(i, 100));
      }
      if (!unforcedAtFirst.equals("either")) {
        assertThat(metrics.unforcedBytes().get() > 0).as("unforced bytes after the offers")
            .isEqualTo(unforcedAtFirst.equals("some"));
      }
      outbox.start();  // the sender refreshes the gauges while it waits
      if (forcedSoon) {
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.unforcedBytes().get() == 0
            && metrics.unforcedAgeSeconds().get() == 0 && metrics.forcedBytes().get() > 0);
      } else {
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
            .until(() -> metrics.unforcedBytes().get() > 0 && metrics.forcedBytes().get() == 0);
        // The sender refreshes the gauges at least once a second (at the end of each backoff pause), so the age
        // it shows may trail the truth by up to a second: wait for it to show more than a second, still unforced.
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.unforcedAgeSeconds().get() >= 1.0);
        assertThat(metrics.forcedBytes().get()).isZero();
        assertThat(metrics.unforcedBytes().get()).isPositive();
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Files.copy(path, to.resolve(from.relativize(path).toString()));
      }
    }
  }
}
