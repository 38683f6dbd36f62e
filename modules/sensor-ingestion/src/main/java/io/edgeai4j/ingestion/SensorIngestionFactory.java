package io.edgeai4j.ingestion;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;

/** Makes {@link SensorIngestionModule}s for images named {@code sensor-ingestion}. */
public final class SensorIngestionFactory implements EdgeModuleFactory {
  @Override
  public String id() {
    return "sensor-ingestion";
  }

  @Override
  public String description() {
    return "reads sensors (simulator, OPC UA, Modbus TCP, MQTT, replay), validates, windows and sends features";
  }

  @Override
  public EdgeModule create() {
    return new SensorIngestionModule();
  }
}
