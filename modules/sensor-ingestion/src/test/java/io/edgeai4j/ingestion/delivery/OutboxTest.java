package io.edgeai4j.ingestion.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against a hub that goes away and comes back (a sender that fails while "down"). */
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
    try (Outbox outbox = open(DeliveryConfig.of(5, null))) {
      outbox.start();
      hubDown = true;
      for (int i = 0; i < 100; i++) {
        outbox.offer(numbered(i, 10));
      }
      OutboxStats away = outbox.stats();
      assertThat(away.memoryQueued()).isEqualTo(5);
      assertThat(away.spilledMessages()).isEqualTo(95);
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
    }, dir, DeliveryConfig.of(5, null), "test", IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("t"))) {
      outbox.start();
      Thread producer = new Thread(() -> {
        for (int i = 0; i < 400 && attempts.size() < 4; i++) {
          outbox.offer(numbered(i, 10));
          java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);  // A sensor producing every 2 ms.
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
  void aFullSpillBufferDropsTheOldestSpilledMessagesAndCountsThem() throws Exception {
    int count = 3000;
    try (Outbox outbox = open(DeliveryConfig.of(10, 1L << 20))) {
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
      // The ten in memory were never at risk; the disk kept the newest; order holds throughout.
      assertThat(delivered.subList(0, 10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      assertThat(delivered).isSortedAccordingTo(Integer::compare);
      assertThat(delivered.get(delivered.size() - 1)).isEqualTo(count - 1);
      assertThat(delivered.get(10)).isEqualTo(10 + (int) full.droppedOldest());
    }
  }

  @Test
  void aStopKeepsUnsentMessagesOnDiskAndTheNextStartSendsThemFirst() throws Exception {
    hubDown = true;
    Outbox first = open(DeliveryConfig.of(3, null));
    first.start();
    for (int i = 0; i < 8; i++) {
      first.offer(numbered(i, 10));
    }
    first.close();
    first.close();  // Idempotent.
    assertThat(Files.list(dir.resolve("head")).count()).isPositive();

    hubDown = false;
    try (Outbox second = open(DeliveryConfig.of(3, null))) {
      assertThat(second.stats().memoryQueued()).isEqualTo(3);
      assertThat(second.stats().spilledMessages()).isEqualTo(5);
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
}
