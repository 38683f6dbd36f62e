package io.edgeai4j.runtime.hub;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The local hub's metrics. One instance per hub; registers its families in the given registry. */
final class HubMetrics {
  final Counter enqueued;
  final Counter delivered;
  final Counter expired;
  final Counter rejected;
  final Counter unrouted;
  final Counter refused;
  final Counter upstreamWriteFailures;
  final Counter droppedAtClose;
  final Counter upstreamDeferred;
  final Counter fromChildDevices;
  final Counter storeReplayed;
  final Counter storeWriteFailures;

  HubMetrics(PrometheusRegistry registry, Supplier<Collection<EndpointQueue>> queues, LongSupplier storeBytes,
      LongSupplier storeDiskBytes) {
    enqueued = Counter.builder().name("edgeai4j_hub_messages_enqueued_total")
        .help("Messages routed into an endpoint queue").labelNames("endpoint", "priority").register(registry);
    delivered = Counter.builder().name("edgeai4j_hub_messages_delivered_total")
        .help("Messages delivered from an endpoint queue and completed").labelNames("endpoint")
        .register(registry);
    expired = Counter.builder().name("edgeai4j_hub_messages_expired_total")
        .help("Messages dropped from an endpoint queue because their time to live ran out")
        .labelNames("endpoint").register(registry);
    rejected = Counter.builder().name("edgeai4j_hub_messages_rejected_total")
        .help("Messages the receiving module rejected").labelNames("endpoint").register(registry);
    unrouted = Counter.builder().name("edgeai4j_hub_messages_unrouted_total")
        .help("Messages that matched no route and were dropped, as edgeHub drops them")
        .labelNames("source").register(registry);
    refused = Counter.builder().name("edgeai4j_hub_messages_refused_total")
        .help("Messages the hub refused to accept").labelNames("reason").register(registry);
    upstreamWriteFailures = Counter.builder().name("edgeai4j_hub_upstream_write_failures_total")
        .help("Failed writes of $upstream messages to the JSON Lines file; the message stays queued")
        .register(registry);
    droppedAtClose = Counter.builder().name("edgeai4j_hub_messages_dropped_at_close_total")
        .help("Messages still queued when a hub without a store directory closed").labelNames("endpoint")
        .register(registry);
    upstreamDeferred = Counter.builder().name("edgeai4j_hub_upstream_deferred_total")
        .help("Times the $upstream target (the link to a parent device) could not take a message now; it stayed in"
            + " the store").register(registry);
    fromChildDevices = Counter.builder().name("edgeai4j_hub_messages_from_child_devices_total")
        .help("Messages received from a child device's edgeHub (nested IoT Edge)").labelNames("device")
        .register(registry);
    storeReplayed = Counter.builder().name("edgeai4j_hub_store_replayed_total")
        .help("Messages read back from the hub's store directory when the hub opened (those expired meanwhile are"
            + " also counted in edgeai4j_hub_messages_expired_total)").labelNames("endpoint").register(registry);
    storeWriteFailures = Counter.builder().name("edgeai4j_hub_store_write_failures_total")
        .help("Failed writes to the hub's store directory: operation=\"write\" refused a message (the sender got a"
            + " retryable error), operation=\"remove\" left a finished message on disk").labelNames("operation")
        .register(registry);
    GaugeWithCallback.builder().name("edgeai4j_hub_store_disk_bytes")
        .help("Bytes of the hub's store files that hold messages (0 without a store directory)")
        .callback(cb -> cb.call(storeDiskBytes.getAsLong())).register(registry);
    GaugeWithCallback.builder().name("edgeai4j_hub_queue_length")
        .help("Messages waiting in an endpoint queue").labelNames("endpoint", "priority")
        .callback(cb -> {
          for (EndpointQueue q : queues.get()) {
            q.lengthsByPriority().forEach((p, n) -> cb.call(n, q.endpointId(), String.valueOf(p)));
          }
        }).register(registry);
    GaugeWithCallback.builder().name("edgeai4j_hub_store_bytes")
        .help("Bytes held in all endpoint queues; the store refuses new messages past its limit")
        .callback(cb -> cb.call(storeBytes.getAsLong())).register(registry);
  }
}
