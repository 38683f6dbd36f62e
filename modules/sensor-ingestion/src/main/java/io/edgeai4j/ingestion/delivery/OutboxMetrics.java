package io.edgeai4j.ingestion.delivery;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * The outbox's metric series of one module (see {@code IngestionMetrics}).
 *
 * @param memoryQueued Messages waiting in memory.
 * @param spilledMessages Messages waiting on disk.
 * @param spilledBytes Bytes on disk.
 * @param spillMaxBytes The disk limit.
 * @param dropped Messages dropped (oldest first) from the full spill buffer.
 * @param sendFailures Failed send attempts (retried).
 * @param tooLarge Messages the hub refused as too large (dropped; a bug if it ever counts).
 * @param corrupt Spilled messages that could not be read back (dropped).
 */
public record OutboxMetrics(GaugeDataPoint memoryQueued, GaugeDataPoint spilledMessages, GaugeDataPoint spilledBytes,
    GaugeDataPoint spillMaxBytes, CounterDataPoint dropped, CounterDataPoint sendFailures, CounterDataPoint tooLarge,
    CounterDataPoint corrupt) {}
