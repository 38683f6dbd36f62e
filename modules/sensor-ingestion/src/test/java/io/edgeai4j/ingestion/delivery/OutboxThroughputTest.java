package io.edgeai4j.ingestion.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.module.EdgeMessage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of about 300 bytes offered as fast as one thread can to a hub that accepts at once: under each fsync
 * policy every one arrives, in order; the rate is logged (not asserted: it depends on the disk and the load).
 */
class OutboxThroughputTest {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxThroughputTest.class);
  private static final String BODY = "{\"sensor\":\"vibration\",\"rms\":1.2345,\"kurtosis\":3.21,\"pad\":\""
      + "x".repeat(200) + "\"}";

  @TempDir Path dir;

  @ParameterizedTest(name = "fsync={0}")
  @CsvSource({"interval, 22000", "never, 22000", "always, 110"})
  void everyMessageArrivesInOrderUnderEachFsyncPolicy(String fsync, int count) throws Exception {
    List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
    try (Outbox outbox = Outbox.open((output, message) -> delivered.add(
            Integer.parseInt(message.property("n").orElseThrow())), dir,
        DeliveryConfig.of(null, null, DeliveryConfig.Fsync.parse(fsync), null), "test",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("test"))) {
      outbox.start();
      int warmUp = count / 10;  // compiled before it is timed
      offer(outbox, 0, warmUp);
      assertThat(outbox.awaitEmpty(Duration.ofSeconds(60))).isTrue();
      long start = System.nanoTime();
      offer(outbox, warmUp, count);
      long offered = System.nanoTime();
      assertThat(outbox.awaitEmpty(Duration.ofSeconds(60))).isTrue();
      long sent = System.nanoTime();
      int timed = count - warmUp;
      LOG.info("fsync={}: {} messages offered at {} per second, all accepted by the hub after {} ms ({} per second)",
          fsync, timed, Math.round(timed / ((offered - start) / 1e9)), (sent - start) / 1_000_000,
          Math.round(timed / ((sent - start) / 1e9)));
    }
    assertThat(delivered).hasSize(count).isSorted().doesNotHaveDuplicates();
  }

  private static void offer(Outbox outbox, int from, int to) {
    for (int n = from; n < to; n++) {
      outbox.offer(new OutgoingMessage("features", EdgeMessage.builder().jsonBody(BODY)
          .property("n", Integer.toString(n)).build()));
    }
  }
}
