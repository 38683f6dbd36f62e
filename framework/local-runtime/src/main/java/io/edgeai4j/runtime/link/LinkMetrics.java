package io.edgeai4j.runtime.link;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/** One link's metrics, labelled {@code link="<child>-<parent>"}; registered once in the child device's registry. */
final class LinkMetrics {
  /** Upper bounds of the transit-time buckets, in seconds: 0.5 ms to 60 s. */
  static final double[] TRANSIT_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
      5, 10, 30, 60};

  final CounterDataPoint messages;
  final CounterDataPoint bytes;
  final CounterDataPoint retransmissions;
  final CounterDataPoint deferredDown;
  final CounterDataPoint deferredFull;
  final CounterDataPoint dropped;
  final DistributionDataPoint transit;

  LinkMetrics(PrometheusRegistry registry, String link, LongSupplier queueDepth, LongSupplier queueBytes) {
    messages = Counter.builder().name("edgeai4j_link_messages_sent_total")
        .help("Messages that crossed the emulated link to the parent device").labelNames("link")
        .register(registry).labelValues(link);
    bytes = Counter.builder().name("edgeai4j_link_bytes_sent_total")
        .help("Bytes of the messages that crossed the link (body, properties, system properties; once per message)")
        .labelNames("link").register(registry).labelValues(link);
    retransmissions = Counter.builder().name("edgeai4j_link_retransmissions_total")
        .help("Transmissions sent again: lost ones, and those on the link when it went down").labelNames("link")
        .register(registry).labelValues(link);
    Counter deferred = Counter.builder().name("edgeai4j_link_deferred_total")
        .help("Offers the link refused (down, or full); the message stayed in the child's $upstream store and is"
            + " offered again")
        .labelNames("link", "reason").register(registry);
    deferredDown = deferred.labelValues(link, "down");
    deferredFull = deferred.labelValues(link, "full");
    dropped = Counter.builder().name("edgeai4j_link_messages_dropped_total")
        .help("Messages that crossed the link but that the parent's hub refused for good (e.g. too large), or still"
            + " on the link when it closed").labelNames("link").register(registry).labelValues(link);
    transit = Histogram.builder().name("edgeai4j_link_transit_seconds")
        .help("Time from the link taking a message to the parent's hub accepting it: queueing behind earlier"
            + " messages, serialization, retransmissions, latency").classicOnly()
        .classicUpperBounds(TRANSIT_BUCKETS).labelNames("link").withoutExemplars().register(registry)
        .labelValues(link);
    GaugeWithCallback.builder().name("edgeai4j_link_queue_depth")
        .help("Messages on the link: being sent, in flight, or waiting behind them").labelNames("link")
        .callback(cb -> cb.call(queueDepth.getAsLong(), link)).register(registry);
    GaugeWithCallback.builder().name("edgeai4j_link_queue_bytes")
        .help("Bytes on the link; past the link's maxQueuedBytes new messages wait in the child's store")
        .labelNames("link").callback(cb -> cb.call(queueBytes.getAsLong(), link)).register(registry);
  }
}
