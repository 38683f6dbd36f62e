package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.source.SourceState;
import java.time.Instant;

/**
 * A source's status as reported in the module twin's {@code sources.<name>}.
 *
 * @param type The plug-in type.
 * @param state Where it stands.
 * @param detail Why (the last error), or null.
 * @param since When the state last changed.
 * @param lastReading When it last passed on a reading or block, or null.
 * @param readings Readings and blocks passed on since it started.
 * @param lost Readings that could not be buffered (spill buffer unwritable); should stay 0.
 */
public record SourceStatus(String type, SourceState state, String detail, Instant since, Instant lastReading,
    long readings, long lost) {}
