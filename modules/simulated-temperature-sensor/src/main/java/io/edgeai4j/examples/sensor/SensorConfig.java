package io.edgeai4j.examples.sensor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The sensor's configuration, bound from its desired properties. Immutable; validated on creation.
 *
 * @param sendIntervalMillis Milliseconds between readings (10 ms to 1 h); default 1000.
 * @param machineTemperatureStart The machine temperature of the first reading, in °C; default 21.
 * @param machineTemperatureStep How much the machine heats up per reading, in °C; default 0.5.
 * @param messageCount How many readings to send; 0 for no limit (the default).
 * @param seed The seed of the noise, so that runs repeat; default 42.
 */
public record SensorConfig(
    long sendIntervalMillis,
    double machineTemperatureStart,
    double machineTemperatureStep,
    long messageCount,
    long seed) {

  /** The configuration when the twin sets nothing. */
  public static final SensorConfig DEFAULT = new SensorConfig(1000, 21, 0.5, 0, 42);

  /**
   * Creates the configuration from desired properties; absent values take their defaults.
   *
   * @throws IllegalArgumentException If a value is out of range, naming it.
   */
  @JsonCreator
  public static SensorConfig of(
      @JsonProperty("sendIntervalMillis") Long sendIntervalMillis,
      @JsonProperty("machineTemperatureStart") Double machineTemperatureStart,
      @JsonProperty("machineTemperatureStep") Double machineTemperatureStep,
      @JsonProperty("messageCount") Long messageCount,
      @JsonProperty("seed") Long seed) {
    return new SensorConfig(
        sendIntervalMillis == null ? DEFAULT.sendIntervalMillis : sendIntervalMillis,
        machineTemperatureStart == null ? DEFAULT.machineTemperatureStart : machineTemperatureStart,
        machineTemperatureStep == null ? DEFAULT.machineTemperatureStep : machineTemperatureStep,
        messageCount == null ? DEFAULT.messageCount : messageCount,
        seed == null ? DEFAULT.seed : seed);
  }

  /** Validates the values. */
  public SensorConfig {
    if (sendIntervalMillis < 10 || sendIntervalMillis > 3_600_000) {
      throw new IllegalArgumentException(
          "sendIntervalMillis must be from 10 to 3600000, found " + sendIntervalMillis);
    }
    if (messageCount < 0) {
      throw new IllegalArgumentException("messageCount must be 0 (no limit) or more, found " + messageCount);
    }
    if (!Double.isFinite(machineTemperatureStart) || !Double.isFinite(machineTemperatureStep)) {
      throw new IllegalArgumentException("machine temperatures must be finite numbers");
    }
  }

  /** Returns the interval between readings. */
  public Duration sendInterval() {
    return Duration.ofMillis(sendIntervalMillis);
  }
}
