package io.edgeai4j.ingestion.source;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One value read from one sensor, as the source saw it. Validation (type, unit, range, NaN/Inf,
 * timestamp, stuck-at) happens after the source, so a source passes on what it read even when it
 * looks wrong: a JSON string where a number was expected stays a string here.
 *
 * @param sensor The sensor's name, as the module twin's {@code sensors} section names it.
 * @param timestamp When the value was sampled (the source's timestamp when it has one, else the
 *     time it was read).
 * @param value A {@link Double}, {@link Long}, {@link Boolean} or {@link String}, or null when the
 *     source got no value (e.g. an OPC UA data value with a bad status).
 * @param unit The unit the source reports for the value, or null when it reports none.
 * @param properties Extra facts to carry to the output as message properties, e.g. the OPC UA
 *     status code or a simulator's ground-truth label. Copied.
 */
public record Reading(String sensor, Instant timestamp, Object value, String unit, Map<String, String> properties) {
  /** Validates and copies. */
  public Reading {
    Objects.requireNonNull(sensor, "sensor");
    Objects.requireNonNull(timestamp, "timestamp");
    if (value != null && !(value instanceof Double || value instanceof Long || value instanceof Boolean
        || value instanceof String)) {
      throw new IllegalArgumentException("reading of " + sensor + ": value must be Double, Long, Boolean, String or null, found "
          + value.getClass().getName());
    }
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  /** A numeric reading without unit or properties. */
  public static Reading of(String sensor, Instant timestamp, double value) {
    return new Reading(sensor, timestamp, value, null, Map.of());
  }
}
