package io.edgeai4j.runtime.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulated link on its own: timing, queueing, order, loss, down and up, its bound, a refusing receiver. */
class EmulatedLinkTest {
  private static final String SOURCE = "/messages/modules/sensor/outputs/out/";
  /**
   * What the arrival times may fall short of their bound by: the scheduler's clock and the receiving thread's
   * {@code System.nanoTime()} have been seen to differ by 0.1 ms on this 2-core VM.
   */
  private static final Duration CLOCK_TOLERANCE = Duration.ofMillis(1);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
  private final List<EmulatedLink> links = new ArrayList<>();

  private record Arrival(EdgeMessage message, long atNanos) {
    int seq() {
      return Integer.parseInt(message.properties().get("seq"));
    }
  }

  @AfterEach
  void close() {
    links.forEach(EmulatedLink::close);
  }

  private EmulatedLink link(String spec, LinkOptions.Builder options) {
    return link(spec, options, m -> arrivals.add(new Arrival(m, System.nanoTime())));
  }

  private EmulatedLink link(String spec, LinkOptions.Builder options, EmulatedLink.Receiver receiver) {
    EmulatedLink link = new EmulatedLink("sensor-node", LinkSpec.parse(spec), options.build(), receiver, registry);
    links.add(link);
    return link;
  }

  /** A message as it leaves the child's store: a body of {@code bodyBytes}, identity and order stamped. */
  private static EdgeMessage message(int seq, int bodyBytes) {
    return EdgeMessage.builder().body(new byte[bodyBytes]).property("seq", Integer.toString(seq))
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "sensor")
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, "probe")
        .systemProperty(SystemProperties.OUTPUT_NAME, "out")
        .systemProperty(SystemProperties.ENQUEUED_TIME, "2026-12-07T10:00:00Z")
        .build();
  }

  private List<Integer> arrivedSeqs() {
    synchronized (arrivals) {
      return arrivals.stream().map(Arrival::seq).toList();
    }
  }

  @Test
  void wireSizeCountsBodyPropertiesIdentityAndCrossingSystemPropertiesOnly() {
    EdgeMessage m = message(7, 1000);
    // body 1000 + "seq""7" 4 + "connectionDeviceId""sensor" 24 + "connectionModuleId""probe" 23; outputName and
    // enqueuedTime do not cross (the parent stamps its own).
    assertThat(EmulatedLink.wireSize(m)).isEqualTo(1000 + 4 + 24 + 23);
  }

  @Test
  void aMessageArrivesNoEarlierThanSerializationPlusLatency() {
    EmulatedLink link = link("1Mbit/50ms", LinkOptions.builder());
    EdgeMessage m = message(0, 12_449);
    long bytes = EmulatedLink.wireSize(m);
    assertThat(bytes).isEqualTo(12_500);
    long sent = System.nanoTime();
    assertThat(link.offer(m, SOURCE)).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 1);
    // 12,500 B × 8 at 1 Mbit/s = 100 ms on the wire, then 50 ms one way.
    Duration took = Duration.ofNanos(arrivals.get(0).atNanos() - sent);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150).minus(CLOCK_TOLERANCE))
        .isLessThan(Duration.ofSeconds(3));
    assertThat(link.stats().messages()).isEqualTo(1);
    assertThat(link.stats().bytes()).isEqualTo(12_500);
  }

  @Test
  void backToBackMessagesQueueBehindEachOtherInOrder() {
    EmulatedLink link = link("1Mbit/50ms", LinkOptions.builder());
    long sent = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      assertThat(link.offer(message(i, 12_449), SOURCE)).isTrue();
    }
    assertThat(link.stats().queued()).isEqualTo(3);

    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 3);
    assertThat(arrivedSeqs()).containsExactly(0, 1, 2);
    for (int k = 0; k < 3; k++) {
      // The k-th waits for the k before it: (k + 1) × 100 ms of serialization, then 50 ms.
      assertThat(Duration.ofNanos(arrivals.get(k).atNanos() - sent))
          .isGreaterThanOrEqualTo(Duration.ofMillis((k + 1) * 100L + 50).minus(CLOCK_TOLERANCE));
    }
    assertThat(link.stats().queued()).isZero();
    // Transit counts from each message's own offer: the last one waited behind two others.
    assertThat(link.stats().maxTransit()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void lossWithASeededRandomRetransmitsAndLosesNothing() throws Exception {
    long seed = 17;
    double loss = 0.3;
    EmulatedLink link = link("100Mbit/1ms/30%", LinkOptions.builder().seed(seed)
        .minRetransmissionTimeout(Duration.ofMillis(2)));
    int n = 200;
    for (int i = 0; i < n; i++) {
      assertThat(link.offer(message(i, 100), SOURCE)).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.size() == n);

    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(arrivedSeqs()).isEqualTo(expected);
    // The same draws, replayed: one per lost transmission, plus the one that got through.
    Random replay = new Random(seed);
    long lost = 0;
    for (int i = 0; i < n; i++) {
      while (replay.nextDouble() < loss) {
        lost++;
      }
    }
    assertThat(lost).isGreaterThan(40);
    assertThat(link.stats().retransmissions()).isEqualTo(lost);
    assertThat(scrape()).contains(
        "edgeai4j_link_retransmissions_total{link=\"sensor-node\"} " + lost + ".0",
        "edgeai4j_link_messages_sent_total{link=\"sensor-node\"} " + n + ".0");
  }

  @Test
  void aLostTransmissionWaitsTheRetransmissionTimeout() {
    // With this seed the first message is lost at least once: each loss costs its serialization and the timeout.
    long seed = 3;
    Random replay = new Random(seed);
    int lost = 0;
    while (replay.nextDouble() < 0.9) {
      lost++;
    }
    assertThat(lost).isPositive();
    EmulatedLink link = link("1Mbit/20ms/90%", LinkOptions.builder().seed(seed)
        .minRetransmissionTimeout(Duration.ofMillis(50)));
    EdgeMessage m = message(0, 1_201);
    long bytes = EmulatedLink.wireSize(m);
    Duration serialization = link.spec().serializationTime(bytes);
    // max(50 ms, 2 × 20 ms + 10.016 ms serialization) = 50.016 ms.
    assertThat(serialization).isEqualTo(Duration.ofNanos(10_016_000));
    assertThat(link.retransmissionTimeout(bytes)).isEqualTo(Duration.ofMillis(40).plus(serialization));
    assertThat(link.retransmissionTimeout(10)).isEqualTo(Duration.ofMillis(50));
    long sent = System.nanoTime();
    link.offer(m, SOURCE);

    await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.size() == 1);
    Duration least = serialization.plus(Duration.ofMillis(20))
        .plus(serialization.plus(link.retransmissionTimeout(bytes)).multipliedBy(lost));
    assertThat(Duration.ofNanos(arrivals.get(0).atNanos() - sent))
        .isGreaterThanOrEqualTo(least.minus(CLOCK_TOLERANCE));
    assertThat(link.stats().retransmissions()).isEqualTo(lost);
  }

  @Test
  void whileDownNothingIsTakenAndWhatWasOnTheLinkWaitsThenFlowsInOrder() {
    EmulatedLink link = link("10Mbit/100ms", LinkOptions.builder());
    assertThat(link.offer(message(0, 100), SOURCE)).isTrue();
    assertThat(link.offer(message(1, 100), SOURCE)).isTrue();
    link.down();
    assertThat(link.isUp()).isFalse();
    // Refused: the caller (the child's hub) keeps it in its store.
    assertThat(link.offer(message(2, 100), SOURCE)).isFalse();
    assertThat(link.stats().deferred()).isEqualTo(1);

    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(arrivals::isEmpty);
    long upAt = System.nanoTime();
    link.up();
    assertThat(link.offer(message(2, 100), SOURCE)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 3);
    assertThat(arrivedSeqs()).containsExactly(0, 1, 2);
    // Sent again from the moment it came up: the latency once more.
    assertThat(Duration.ofNanos(arrivals.get(0).atNanos() - upAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100).minus(CLOCK_TOLERANCE));
    assertThat(link.stats().retransmissions()).isEqualTo(2);
    assertThat(scrape()).contains("edgeai4j_link_deferred_total{link=\"sensor-node\",reason=\"down\"} 1.0");
  }

  @Test
  void aFullLinkRefusesUntilItHasRoom() {
    EmulatedLink link = link("1Mbit/10ms", LinkOptions.builder().maxQueuedBytes(15_000));
    assertThat(link.offer(message(0, 12_449), SOURCE)).isTrue();
    // 12,500 + 12,500 > 15,000: the second waits in the child's store.
    assertThat(link.offer(message(1, 12_449), SOURCE)).isFalse();
    assertThat(link.stats().deferred()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 1);
    assertThat(link.offer(message(1, 12_449), SOURCE)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 2);
    assertThat(scrape()).contains("edgeai4j_link_deferred_total{link=\"sensor-node\",reason=\"full\"} 1.0");
  }

  @Test
  void aParentThatRefusesForNowHoldsTheMessagesBehindInOrder() {
    AtomicInteger refusals = new AtomicInteger(3);
    EmulatedLink link = link("100Mbit/1ms", LinkOptions.builder(), m -> {
      if (refusals.getAndDecrement() > 0) {
        throw new TransportException("store full", true, null);
      }
      arrivals.add(new Arrival(m, System.nanoTime()));
    });
    for (int i = 0; i < 5; i++) {
      link.offer(message(i, 10), SOURCE);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.size() == 5);
    assertThat(arrivedSeqs()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aMessageTheParentRefusesForGoodIsDroppedAndCounted() {
    EmulatedLink link = link("100Mbit/1ms", LinkOptions.builder(), m -> {
      if (m.properties().get("seq").equals("0")) {
        throw new TransportException("too large", false, null);
      }
      arrivals.add(new Arrival(m, System.nanoTime()));
    });
    link.offer(message(0, 10), SOURCE);
    link.offer(message(1, 10), SOURCE);
    await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 1);
    assertThat(arrivedSeqs()).containsExactly(1);
    assertThat(scrape()).contains("edgeai4j_link_messages_dropped_total{link=\"sensor-node\"} 1.0");
  }

  @Test
  void closeWaitsForTheMessagesOnTheLinkAndThenTakesNoMore() {
    EmulatedLink link = link("1Mbit/50ms", LinkOptions.builder());
    link.offer(message(0, 12_449), SOURCE);
    link.close();
    assertThat(arrivals).hasSize(1);
    assertThat(link.offer(message(1, 10), SOURCE)).isFalse();
  }

  private String scrape() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
