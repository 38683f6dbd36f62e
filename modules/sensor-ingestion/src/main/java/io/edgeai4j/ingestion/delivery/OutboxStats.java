package io.edgeai4j.ingestion.delivery;

/**
 * A snapshot of an {@link Outbox}, as reported in the module twin's {@code delivery} section.
 *
 * @param memoryQueued Messages waiting in memory.
 * @param spilledMessages Messages waiting in the spill buffer on disk.
 * @param spilledBytes Bytes the spill buffer holds.
 * @param spillMaxBytes The spill buffer's limit.
 * @param sent Messages the hub accepted since start.
 * @param droppedOldest Messages dropped from the full spill buffer since start (oldest first).
 * @param sendFailures Failed send attempts since start (each retried).
 * @param lastError The last send error, or null once a send succeeded after it.
 */
public record OutboxStats(int memoryQueued, long spilledMessages, long spilledBytes, long spillMaxBytes, long sent,
    long droppedOldest, long sendFailures, String lastError) {}
