package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceSettings;

/**
 * A source of the configuration, with its plug-in and parsed settings.
 *
 * @param name The source's name.
 * @param provider Its plug-in.
 * @param settings Its settings, parsed by the plug-in.
 */
public record ResolvedSource(String name, SensorSourceProvider provider, SourceSettings settings) {
  /** Whether running {@code other} means restarting this source. */
  public boolean sameAs(ResolvedSource other) {
    return other != null && provider.type().equals(other.provider.type()) && settings.equals(other.settings);
  }
}
