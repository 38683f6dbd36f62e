package io.edgeai4j.ingestion.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceSettings;

/** The {@code replay} source type: replays a CSV or JSON Lines recording. Stateless. */
public final class ReplayProvider implements SensorSourceProvider {
  @Override
  public String type() {
    return "replay";
  }

  @Override
  public String description() {
    return "replays a recorded CSV or JSON Lines file at the original or a scaled speed";
  }

  @Override
  public SourceSettings parse(ObjectNode settings) throws SourceConfigException {
    return SettingsBinder.bind(settings, ReplaySettings.class);
  }

  @Override
  public SensorSource create(SourceSettings settings, SourceContext context) {
    return new ReplaySource((ReplaySettings) settings, context);
  }
}
