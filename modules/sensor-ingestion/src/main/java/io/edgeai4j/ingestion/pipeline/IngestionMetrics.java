package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.delivery.OutboxMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The sensor-ingestion module's metric families, labelled by {@code module}. One instance per registry
 * (a registry refuses a family registered twice), shared by every ingestion module in the process.
 * Thread-safe.
 */
public final class IngestionMetrics {
  private static final Map<PrometheusRegistry, IngestionMetrics> BY_REGISTRY = new WeakHashMap<>();

  final Counter samples;
  final Counter deadLetters;
  final Counter windows;
  final Counter windowSamplesDiscarded;
  final Counter readingTiming;
  final Counter missingSamples;
  final Gauge windowJitterMax;
  final Counter deadLetterMessages;
  final Gauge deadLetterKeys;
  final Counter deadLetterOverflow;
  final Gauge sourceConnected;
  final Counter lost;
  private final Gauge outboxMemory;
  private final Gauge spillMessages;
  private final Gauge spillBytes;
  private final Gauge spillMaxBytes;
  private final Counter spillDropped;
  private final Counter sendFailures;
  private final Counter tooLarge;
  private final Counter spillCorrupt;
  private final Gauge spillUnforcedBytes;
  private final Gauge spillUnforcedAge;
  private final Counter spillForcedBytes;

  private IngestionMetrics(PrometheusRegistry registry) {
    samples = Counter.builder().name("edgeai4j_ingestion_samples_total")
        .help("Samples that passed validation (a reading is one sample, a block as many as it holds)")
        .labelNames("module", "sensor").register(registry);
    deadLetters = Counter.builder().name("edgeai4j_ingestion_dead_letters_total")
        .help("Readings and blocks that failed validation, by check; each is counted here, and gathered into one"
            + " output deadletter message per sensor, check and source per interval")
        .labelNames("module", "sensor", "check").register(registry);
    windows = Counter.builder().name("edgeai4j_ingestion_windows_total")
        .help("Windows completed (features and raw windows are sent per window)")
        .labelNames("module", "sensor").register(registry);
    windowSamplesDiscarded = Counter.builder().name("edgeai4j_ingestion_window_samples_discarded_total")
        .help("Samples of an incomplete window discarded because a reconfiguration changed the sensor's window, or"
            + " a block failed validation (windows are contiguous)")
        .labelNames("module", "sensor").register(registry);
    readingTiming = Counter.builder().name("edgeai4j_ingestion_reading_timing_total")
        .help("Single readings of windowed sensors by their spacing from the previous reading against 1/sampleRateHz:"
            + " on_time, early, late (beyond jitterTolerancePercent), gap (1.5 periods or more); out_of_order:"
            + " refused as not after the previous reading")
        .labelNames("module", "sensor", "kind").register(registry);
    missingSamples = Counter.builder().name("edgeai4j_ingestion_missing_samples_total")
        .help("Samples missing in the gaps between single readings of windowed sensors (windows are still computed)")
        .labelNames("module", "sensor").register(registry);
    windowJitterMax = Gauge.builder().name("edgeai4j_ingestion_window_jitter_max_seconds")
        .help("The last window's largest deviation of a reading's spacing from 1/sampleRateHz, gaps left out")
        .labelNames("module", "sensor").register(registry);
    deadLetterMessages = Counter.builder().name("edgeai4j_ingestion_dead_letter_messages_total")
        .help("Messages sent on output deadletter, each gathering one interval of a sensor, check and source")
        .labelNames("module").register(registry);
    deadLetterKeys = Gauge.builder().name("edgeai4j_ingestion_dead_letter_keys")
        .help("(sensor, check, source) keys gathering dead letters now; at most deadLetters.maxKeys")
        .labelNames("module").register(registry);
    deadLetterOverflow = Counter.builder().name("edgeai4j_ingestion_dead_letter_overflow_total")
        .help("Dead letters gathered in the overflow message because deadLetters.maxKeys keys were open")
        .labelNames("module").register(registry);
    sourceConnected = Gauge.builder().name("edgeai4j_ingestion_source_connected")
        .help("1 while a source is connected (or reading), else 0").labelNames("module", "source").register(registry);
    lost = Counter.builder().name("edgeai4j_ingestion_lost_total")
        .help("Samples a source passed on that could not be buffered (the spill buffer could not be written, or"
            + " the source emitted after it was closed); should stay 0").labelNames("module", "source")
        .register(registry);
    outboxMemory = Gauge.builder().name("edgeai4j_ingestion_outbox_memory_messages")
        .help("Messages waiting in memory to be sent").labelNames("module").register(registry);
    spillMessages = Gauge.builder().name("edgeai4j_ingestion_spill_messages")
        .help("Messages waiting in the on-disk spill buffer").labelNames("module").register(registry);
    spillBytes = Gauge.builder().name("edgeai4j_ingestion_spill_bytes")
        .help("Bytes held by the on-disk spill buffer").labelNames("module").register(registry);
    spillMaxBytes = Gauge.builder().name("edgeai4j_ingestion_spill_max_bytes")
        .help("The spill buffer's limit; past it the oldest messages are dropped").labelNames("module")
        .register(registry);
    spillDropped = Counter.builder().name("edgeai4j_ingestion_spill_dropped_total")
        .help("Messages dropped, oldest first, because the spill buffer was full").labelNames("module")
        .register(registry);
    sendFailures = Counter.builder().name("edgeai4j_ingestion_send_failures_total")
        .help("Send attempts the hub did not accept (each is retried with backoff)").labelNames("module")
        .register(registry);
    tooLarge = Counter.builder().name("edgeai4j_ingestion_too_large_total")
        .help("Messages the hub refused as over 256 KB (dropped; should stay 0)").labelNames("module")
        .register(registry);
    spillCorrupt = Counter.builder().name("edgeai4j_ingestion_spill_corrupt_total")
        .help("Spilled messages that could not be read back (dropped)").labelNames("module").register(registry);
    spillUnforcedBytes = Gauge.builder().name("edgeai4j_ingestion_spill_unforced_bytes")
        .help("Message bytes written to the outbox and not yet forced to the device (fsync): what a power loss could"
            + " lose").labelNames("module").register(registry);
    spillUnforcedAge = Gauge.builder().name("edgeai4j_ingestion_spill_unforced_age_seconds")
        .help("How long the oldest outbox write not yet forced to the device has waited; 0 when everything is forced")
        .labelNames("module").register(registry);
    spillForcedBytes = Counter.builder().name("edgeai4j_ingestion_spill_forced_bytes_total")
        .help("Message bytes the outbox forced to the device (fsync)").labelNames("module").register(registry);
  }

  /** The instance for a registry, registering the families the first time. */
  public static synchronized IngestionMetrics forRegistry(PrometheusRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, IngestionMetrics::new);
  }

  /** The outbox series of one module. */
  public OutboxMetrics outbox(String module) {
    return new OutboxMetrics(outboxMemory.labelValues(module), spillMessages.labelValues(module),
        spillBytes.labelValues(module), spillMaxBytes.labelValues(module), spillDropped.labelValues(module),
        sendFailures.labelValues(module), tooLarge.labelValues(module), spillCorrupt.labelValues(module),
        spillUnforcedBytes.labelValues(module), spillUnforcedAge.labelValues(module),
        spillForcedBytes.labelValues(module));
  }
}
