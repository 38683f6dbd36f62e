package io.edgeai4j.ingestion.validation;

import java.util.Locale;

/** The checks a reading can fail; the name (lower case) is the {@code check} of a dead letter. */
public enum Check {
  /** The source got no value (an OPC UA bad status, a missing JSON field, an unparsable payload). */
  MISSING,
  /** A value of the wrong type: text where a number was expected, a number for a boolean sensor. */
  TYPE,
  /** A unit other than the configured one. */
  UNIT,
  /** NaN or infinite. */
  NOT_FINITE,
  /** Outside the configured {@code [min, max]}. */
  RANGE,
  /** Before 2001, too far in the future or too old, or not after the sensor's previous timestamp. */
  TIMESTAMP,
  /** The same value more often in a row than {@code stuckCount} allows. */
  STUCK,
  /** A reading of a sensor another source already feeds (sensor names must be unique across sources). */
  CONFLICT;

  /** The name used in dead letters and metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
