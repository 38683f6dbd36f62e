package io.edgeai4j.inference.module;

import io.edgeai4j.inference.module.partition.ActivationCodec;
import io.edgeai4j.inference.module.partition.Reassembler;
import io.edgeai4j.inference.serving.ActivationEncoding;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The metrics of a split model's activations, per module: chunks and bytes sent and received, sets dropped by reason,
 * duplicate chunks, encode and decode time, values an encoding could not carry, sets pending. One instance per
 * registry (several modules of one runtime share it, told apart by the {@code module} label). Thread-safe.
 */
final class ActivationMetrics {
  private static final Map<PrometheusRegistry, ActivationMetrics> BY_REGISTRY = new WeakHashMap<>();
  private static final double[] CODEC_BUCKETS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};

  private final Counter chunks;
  private final Counter bytes;
  private final Counter dropped;
  private final Counter duplicates;
  private final Counter lost;
  private final Histogram codec;
  private final Gauge pending;

  private ActivationMetrics(PrometheusRegistry registry) {
    chunks = Counter.builder().name("edgeai4j_inference_activation_chunks_total")
        .help("Activations messages (chunks) sent on output activations or received on input activations")
        .labelNames("module", "direction").withoutExemplars().register(registry);
    bytes = Counter.builder().name("edgeai4j_inference_activation_bytes_total")
        .help("Bytes of activations messages (bodies) sent or received").labelNames("module", "direction")
        .withoutExemplars().register(registry);
    dropped = Counter.builder().name("edgeai4j_inference_activation_sets_dropped_total")
        .help("Sets of activations chunks dropped, by reason: timeout (incomplete after"
            + " activations.reassemblyTimeoutMillis), overflow (over activations.maxPendingSets, oldest first),"
            + " corrupt (a chunk or the payload that did not decode), stopped (incomplete when the module stopped);"
            + " each is answered on results")
        .labelNames("module", "reason").withoutExemplars().register(registry);
    duplicates = Counter.builder().name("edgeai4j_inference_activation_duplicate_chunks_total")
        .help("Activations chunks received again (already held, or of a set completed) and ignored")
        .labelNames("module").withoutExemplars().register(registry);
    lost = Counter.builder().name("edgeai4j_inference_activation_values_inexact_total")
        .help("Values an activation encoding could not carry: overflow (float16: finite beyond 65504, sent as"
            + " infinity), saturated (int8: infinity clamped to the range), nan (int8: NaN sent as 0)")
        .labelNames("module", "encoding", "reason").withoutExemplars().register(registry);
    codec = Histogram.builder().name("edgeai4j_inference_activation_codec_seconds")
        .help("Time to encode the output tensors of a part into a payload, or to decode a payload")
        .classicOnly().classicUpperBounds(CODEC_BUCKETS).labelNames("module", "operation").withoutExemplars()
        .register(registry);
    pending = Gauge.builder().name("edgeai4j_inference_activation_pending_sets")
        .help("Sets of activations chunks received in part and waiting for the rest").labelNames("module")
        .register(registry);
  }

  static synchronized ActivationMetrics forRegistry(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, ActivationMetrics::new);
  }

  void sent(String module, int bodyBytes) {
    chunks.labelValues(module, "sent").inc();
    bytes.labelValues(module, "sent").inc(bodyBytes);
  }

  void received(String module, int bodyBytes) {
    chunks.labelValues(module, "received").inc();
    bytes.labelValues(module, "received").inc(bodyBytes);
  }

  void dropped(String module, Reassembler.Reason reason) {
    dropped.labelValues(module, reason.label()).inc();
  }

  void duplicate(String module) {
    duplicates.labelValues(module).inc();
  }

  void encoded(String module, ActivationEncoding encoding, long nanos, ActivationCodec.Losses losses) {
    codec.labelValues(module, "encode").observe(nanos / 1e9);
    if (losses.overflowed() > 0) {
      lost.labelValues(module, encoding.spelling(), "overflow").inc(losses.overflowed());
    }
    if (losses.saturated() > 0) {
      lost.labelValues(module, encoding.spelling(), "saturated").inc(losses.saturated());
    }
    if (losses.nan() > 0) {
      lost.labelValues(module, encoding.spelling(), "nan").inc(losses.nan());
    }
  }

  void decoded(String module, long nanos) {
    codec.labelValues(module, "decode").observe(nanos / 1e9);
  }

  void pending(String module, int sets) {
    pending.labelValues(module).set(sets);
  }
}
