package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import java.time.Duration;
import java.util.Locale;

/** Range checks for the settings records; each failure names the twin field. */
final class Require {
  /** The longest time a setting may give (about 115 days), so that nanoseconds never overflow. */
  static final double MAX_SECONDS = 1e7;

  private Require() {}

  static double between(String field, Double value, double fallback, double min, double max) {
    double v = value == null ? fallback : value;
    if (!(v >= min && v <= max)) {
      throw new InvalidSettingException(field, "must be between " + num(min) + " and " + num(max) + ", found " + num(v));
    }
    return v;
  }

  static double positive(String field, Double value, double fallback, double max) {
    double v = value == null ? fallback : value;
    if (!(v > 0 && v <= max)) {
      throw new InvalidSettingException(field, "must be greater than 0 and at most " + num(max) + ", found " + num(v));
    }
    return v;
  }

  static double atLeastZero(String field, Double value, double fallback, double max) {
    return between(field, value, fallback, 0, max);
  }

  /** Seconds as a duration, at least {@code min} seconds and at most {@link #MAX_SECONDS}. */
  static Duration seconds(String field, Double value, double fallback, double min) {
    double s = between(field, value, fallback, min, MAX_SECONDS);
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /** Seconds as a duration, greater than zero and at most {@link #MAX_SECONDS}. */
  static Duration positiveSeconds(String field, Double value, double fallback) {
    double s = positive(field, value, fallback, MAX_SECONDS);
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  static void notNull(String field, Object value) {
    if (value == null) {
      throw new InvalidSettingException(field, "is missing");
    }
  }

  /** Formats a number for messages and properties: no exponent for ordinary values, no locale. */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
