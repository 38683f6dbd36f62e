package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sensor-ingestion module's desired properties, bound by the module host. Immutable. Source
 * settings stay JSON here: each source's plug-in parses its own (see {@code ResolvedConfig}).
 *
 * @param sources Sources by name: each an object with {@code "type"} (the plug-in) and its settings.
 * @param sensors Checks, windows and outputs by sensor name.
 * @param delivery Buffering limits.
 * @param deadLetters How dead letters are aggregated.
 * @param statusReportIntervalMillis How often source status (last reading, counts) is reported, 1000
 *     to 3600000 ms; default 10000. State changes are reported at once.
 */
public record IngestionConfig(
    Map<String, ObjectNode> sources,
    Map<String, SensorConfig> sensors,
    DeliveryConfig delivery,
    DeadLetterConfig deadLetters,
    long statusReportIntervalMillis) {

  /** Binds from the twin; absent sections are empty or take their defaults. */
  @JsonCreator
  public static IngestionConfig of(
      @JsonProperty("sources") Map<String, ObjectNode> sources,
      @JsonProperty("sensors") Map<String, SensorConfig> sensors,
      @JsonProperty("delivery") DeliveryConfig delivery,
      @JsonProperty("deadLetters") DeadLetterConfig deadLetters,
      @JsonProperty("statusReportIntervalMillis") Long statusReportIntervalMillis) {
    return new IngestionConfig(sources == null ? Map.of() : sources, sensors == null ? Map.of() : sensors,
        delivery == null ? DeliveryConfig.DEFAULT : delivery,
        deadLetters == null ? DeadLetterConfig.DEFAULT : deadLetters,
        statusReportIntervalMillis == null ? 10_000 : statusReportIntervalMillis);
  }

  /** Validates names and copies. */
  public IngestionConfig {
    for (String name : sources.keySet()) {
      if (!TwinKeys.isValid(name)) {
        throw new IllegalArgumentException("source name '" + name + "' " + TwinKeys.RULE);
      }
      if (sources.get(name) == null) {
        throw new IllegalArgumentException("source '" + name + "' must be an object with a \"type\"");
      }
    }
    for (Map.Entry<String, SensorConfig> e : sensors.entrySet()) {
      if (!TwinKeys.isValid(e.getKey())) {
        throw new IllegalArgumentException("sensor name '" + e.getKey() + "' " + TwinKeys.RULE);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("sensor '" + e.getKey() + "' must be an object");
      }
    }
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(deadLetters, "deadLetters");
    if (statusReportIntervalMillis < 1000 || statusReportIntervalMillis > 3_600_000) {
      throw new IllegalArgumentException("statusReportIntervalMillis must be 1000 to 3600000, found "
          + statusReportIntervalMillis);
    }
    sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    sensors = Collections.unmodifiableMap(new TreeMap<>(sensors));
  }

  /** The configuration of a twin with no desired properties: no sources. */
  public static IngestionConfig empty() {
    return of(null, null, null, null, null);
  }

  /** The status report interval. */
  public Duration statusReportInterval() {
    return Duration.ofMillis(statusReportIntervalMillis);
  }

  /** The configuration of a sensor, or {@link SensorConfig#DEFAULT}. */
  public SensorConfig sensor(String name) {
    return sensors.getOrDefault(name, SensorConfig.DEFAULT);
  }
}
