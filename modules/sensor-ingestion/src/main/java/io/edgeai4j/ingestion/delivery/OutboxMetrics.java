package io.edgeai4j.ingestion.delivery;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * The outbox's metric series of one module (see {@code IngestionMetrics}).
 *
 * @param memoryQueued Waiting messages also kept in memory.
 * @param spilledMessages Messages waiting on disk: every message offered and not yet accepted by the hub.
 * @param spilledBytes Bytes on disk.
 * @param spillMaxBytes The disk limit.
 * @param dropped Messages dropped (oldest first) from the full buffer.
 * @param sendFailures Failed send attempts (retried).
 * @param tooLarge Messages the hub refused as too large (dropped; a bug if it ever counts).
 * @param corrupt Stored messages that could not be read back (dropped).
 * @param unforcedBytes Message bytes written and not yet forced to the device: what a power loss could lose.
 * @param unforcedAgeSeconds How long the oldest write not yet forced has waited; 0 when everything is forced.
 * @param forcedBytes Message bytes forced to the device.
 */
public record OutboxMetrics(GaugeDataPoint memoryQueued, GaugeDataPoint spilledMessages, GaugeDataPoint spilledBytes,
    GaugeDataPoint spillMaxBytes, CounterDataPoint dropped, CounterDataPoint sendFailures, CounterDataPoint tooLarge,
    CounterDataPoint corrupt, GaugeDataPoint unforcedBytes, GaugeDataPoint unforcedAgeSeconds,
    CounterDataPoint forcedBytes) {}
