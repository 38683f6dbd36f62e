package io.edgeai4j.examples.sensor;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;

/** Makes {@link SimulatedTemperatureSensor} available to manifests as image {@code simulated-temperature-sensor}. */
public final class SimulatedTemperatureSensorFactory implements EdgeModuleFactory {
  @Override
  public String id() {
    return "simulated-temperature-sensor";
  }

  @Override
  public String description() {
    return "sends simulated machine and ambient temperature readings on output 'temperatureOutput'";
  }

  @Override
  public EdgeModule create() {
    return new SimulatedTemperatureSensor();
  }
}
