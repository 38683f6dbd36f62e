package io.edgeai4j.ingestion.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceSettings;

/**
 * The {@code "simulator"} source type: a rotating machine with scripted faults (see
 * {@link SimulatorSettings}). Stateless; thread-safe.
 */
public final class SimulatorSourceProvider implements SensorSourceProvider {
  /** The value of {@code "type"} that selects this provider. */
  public static final String TYPE = "simulator";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "simulated rotating machine: vibration, temperature and motor current with scripted, labelled faults";
  }

  @Override
  public SimulatorSettings parse(ObjectNode settings) throws SourceConfigException {
    return SettingsBinder.bind(settings, SimulatorSettings.class);
  }

  @Override
  public SensorSource create(SourceSettings settings, SourceContext context) {
    if (!(settings instanceof SimulatorSettings simulatorSettings)) {
      throw new IllegalArgumentException("simulator source needs SimulatorSettings, found "
          + (settings == null ? "null" : settings.getClass().getName()));
    }
    return new SimulatorSource(simulatorSettings, context);
  }

}
