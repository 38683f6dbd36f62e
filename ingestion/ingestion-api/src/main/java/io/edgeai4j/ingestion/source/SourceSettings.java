package io.edgeai4j.ingestion.source;

import java.util.Set;

/**
 * The validated, immutable settings of one source, as parsed by its {@link SensorSourceProvider}.
 * Implementations are records (or otherwise implement {@code equals}): the module restarts a source
 * only when a desired patch changes its settings.
 */
public interface SourceSettings {
  /** The names of the sensors this source produces readings for; each unique across the module's sources. */
  Set<String> sensors();
}
