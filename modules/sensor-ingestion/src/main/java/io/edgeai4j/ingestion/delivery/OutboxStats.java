package io.edgeai4j.ingestion.delivery;

/**
 * A snapshot of an {@link Outbox}, as reported in the module twin's {@code delivery} section.
 *
 * @param memoryQueued Of the waiting messages, how many are also kept in memory.
 * @param spilledMessages Messages waiting on disk: every message offered and not yet accepted by the hub.
 * @param spilledBytes Bytes the buffer on disk holds.
 * @param spillMaxBytes The buffer's limit.
 * @param sent Messages the hub accepted since start.
 * @param droppedOldest Messages dropped from the full buffer since start (oldest first).
 * @param sendFailures Failed send attempts since start (each retried).
 * @param lastError The last send error, or null once a send succeeded after it.
 */
public record OutboxStats(int memoryQueued, long spilledMessages, long spilledBytes, long spillMaxBytes, long sent,
    long droppedOldest, long sendFailures, String lastError) {}
