package io.edgeai4j.edgehub.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/**
 * The endpoint's metrics ({@code edgeai4j_edgehub_*}); one instance per endpoint, registered in its registry until
 * {@link #unregister()}, so that an endpoint started again on the same registry can register them anew.
 */
final class EndpointMetrics {
  final Counter received;
  final Counter delivered;
  final Counter abandoned;
  final Counter refused;
  final Counter connectionsRefused;
  final Counter connectionsClosed;
  private final GaugeWithCallback connectedModules;
  private final PrometheusRegistry registry;

  EndpointMetrics(PrometheusRegistry registry, IntSupplier connected) {
    this.registry = registry;
    received = Counter.builder().name("edgeai4j_edgehub_messages_received_total")
        .help("Messages a module published over MQTT that the hub stored (PUBACKed)").labelNames("module")
        .register(registry);
    delivered = Counter.builder().name("edgeai4j_edgehub_messages_delivered_total")
        .help("Input messages a module PUBACKed").labelNames("module").register(registry);
    abandoned = Counter.builder().name("edgeai4j_edgehub_messages_abandoned_total")
        .help("Input messages given back to the hub (re-queued): ack_timeout, disconnected, not_subscribed,"
            + " inflight_full").labelNames("module", "reason").register(registry);
    refused = Counter.builder().name("edgeai4j_edgehub_messages_refused_total")
        .help("Messages a module published that the hub did not store: too_large, frame_too_large, retryable,"
            + " not_accepted, topic").labelNames("module", "reason").register(registry);
    connectionsRefused = Counter.builder().name("edgeai4j_edgehub_connections_refused_total")
        .help("MQTT CONNECTs refused, by CONNACK reason").labelNames("reason").register(registry);
    connectionsClosed = Counter.builder().name("edgeai4j_edgehub_connections_closed_total")
        .help("Connections the endpoint closed: takeover, idle, token_expired, frame_too_large, retryable, topic,"
            + " protocol")
        .labelNames("reason").register(registry);
    connectedModules = GaugeWithCallback.builder().name("edgeai4j_edgehub_connected_modules")
        .help("Modules connected over MQTT now").callback(cb -> cb.call(connected.getAsInt())).register(registry);
  }

  /** Removes the metrics from the registry. */
  void unregister() {
    for (io.prometheus.metrics.model.registry.Collector c : java.util.List.of(received, delivered, abandoned, refused,
        connectionsRefused, connectionsClosed, connectedModules)) {
      registry.unregister(c);
    }
  }
}
