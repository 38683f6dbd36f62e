package io.edgeai4j.runtime.hub;

import static io.edgeai4j.runtime.hub.StoreTestSupport.options;
import static io.edgeai4j.runtime.hub.StoreTestSupport.toConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingModule;
import io.edgeai4j.runtime.hub.StoreTestSupport.RecordingUpstream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Producers on several threads and a consumer, with the hub closed in the middle and a new one opened. */
class StoreConcurrencyTest {
  private static final int PRODUCERS = 4;
  private static final int EACH = 400;

  @TempDir
  Path temp;

  @Test
  void aHubClosedWhileProducersSendAndTheConsumerTakesLosesNothingAndKeepsEachProducersOrder() throws Exception {
    Path store = temp.resolve("store");
    RouteSpec route = toConsumer("r", "out", RouteSpec.DEFAULT_PRIORITY, null);
    HubOptions options = options(store, new RecordingUpstream(true), Clock.systemUTC(), route).build();
    Set<String> accepted = Collections.synchronizedSet(new HashSet<>());
    RecordingModule firstConsumer = RecordingModule.completing();
    ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS);
    try {
      LocalEdgeHub first = new LocalEdgeHub(options, new PrometheusRegistry());
      ModuleTransport producer = StoreTestSupport.producer(first);
      ModuleTransport consumerLink = firstConsumer.connect(first, "consumer");
      CountDownLatch halfway = new CountDownLatch(PRODUCERS);
      List<Future<?>> runs = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producerNumber = p;
        runs.add(threads.submit(() -> {
          for (int i = 0; i < EACH; i++) {
            String id = producerNumber + "-" + i;
            try {
              producer.send("out", EdgeMessage.builder().jsonBody("{}").messageId(id).build());
              accepted.add(id);
            } catch (TransportException e) {
              return null; // the hub closed: not accepted
            }
            if (i == EACH / 2) {
              halfway.countDown();
            }
          }
          return null;
        }));
      }
      assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
      first.close(); // producers still sending, the consumer still taking
      for (Future<?> run : runs) {
        run.get(30, TimeUnit.SECONDS);
      }
      consumerLink.close();
      producer.close();
    } finally {
      threads.shutdownNow();
    }
    List<String> delivered = new ArrayList<>(firstConsumer.offeredIds());

    try (LocalEdgeHub second = new LocalEdgeHub(options, new PrometheusRegistry())) {
      RecordingModule consumer = RecordingModule.completing();
      try (ModuleTransport link = consumer.connect(second, "consumer")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> second.queueLengths().get("consumer/in") == 0);
        delivered.addAll(consumer.offeredIds());
      }
    }

    assertThat(accepted).hasSizeGreaterThan(PRODUCERS * EACH / 2);
    assertThat(new HashSet<>(delivered)).containsAll(accepted);
    // At most the message being delivered when the hub closed comes again (if its delivery outlived the close).
    assertThat(delivered.size() - new HashSet<>(delivered).size()).isLessThanOrEqualTo(1);
    Map<Integer, Integer> last = new HashMap<>();
    for (String id : new java.util.LinkedHashSet<>(delivered)) {
      int producerNumber = Integer.parseInt(id.substring(0, id.indexOf('-')));
      int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
      assertThat(n).as("producer %d's order", producerNumber).isGreaterThan(last.getOrDefault(producerNumber, -1));
      last.put(producerNumber, n);
    }
  }
}
