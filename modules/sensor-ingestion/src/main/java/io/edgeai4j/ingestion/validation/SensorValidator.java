package io.edgeai4j.ingestion.validation;

import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.config.ValueType;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.time.Instant;
import java.util.Objects;

/**
 * Checks one sensor's readings and blocks against its {@link SensorConfig}, in the order missing, type,
 * unit, not-finite, range, timestamp, stuck; the first failure is the rejection. Keeps the state the
 * timestamp-order and stuck-at checks need, so there is one per sensor. Not thread-safe: the caller
 * serialises calls for one sensor.
 */
public final class SensorValidator {
  /** Timestamps before this are a device clock that was never set. */
  public static final Instant EARLIEST = Instant.parse("2001-01-01T00:00:00Z");

  private final SensorConfig config;
  private Instant lastTimestamp;
  private double lastValue = Double.NaN;
  private long sameInARow;

  /** Creates a validator for one sensor. */
  public SensorValidator(SensorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The configuration it checks against. */
  public SensorConfig config() {
    return config;
  }

  /**
   * Checks one reading; on success the reading becomes the sensor's latest.
   *
   * @param reading The reading.
   * @param now The module's clock.
   * @return Null when valid, else why not.
   */
  public Rejection check(Reading reading, Instant now) {
    Object value = reading.value();
    if (value == null) {
      String why = reading.properties().isEmpty() ? "" : " (source said: " + reading.properties() + ")";
      return new Rejection(Check.MISSING, "no value" + why);
    }
    double number;
    if (config.type() == ValueType.BOOLEAN) {
      if (!(value instanceof Boolean)) {
        return new Rejection(Check.TYPE, "expected a boolean, found " + describe(value));
      }
      number = ((Boolean) value) ? 1 : 0;
    } else {
      if (value instanceof Double d) {
        number = d;
      } else if (value instanceof Long l) {
        number = l;
      } else {
        return new Rejection(Check.TYPE, "expected a number, found " + describe(value));
      }
    }
    Rejection unit = checkUnit(reading.unit());
    if (unit != null) {
      return unit;
    }
    if (!Double.isFinite(number)) {
      return new Rejection(Check.NOT_FINITE, "value is " + number);
    }
    Rejection range = checkRange(number);
    if (range != null) {
      return range;
    }
    Rejection time = checkTimestamp(reading.timestamp(), reading.timestamp(), now);
    if (time != null) {
      return time;
    }
    Rejection stuck = checkStuck(number);
    if (stuck != null) {
      return stuck;
    }
    lastTimestamp = reading.timestamp();
    return null;
  }

  /**
   * Checks a block; a block is valid only if every sample is, since a window must be contiguous. On
   * success the block's last sample becomes the sensor's latest.
   *
   * @return Null when valid, else why not (naming how many samples failed and the first of them).
   */
  public Rejection check(SampleBlock block, Instant now) {
    if (config.type() == ValueType.BOOLEAN) {
      return new Rejection(Check.TYPE, "expected single boolean readings, found a block of " + block.size()
          + " samples");
    }
    Rejection unit = checkUnit(block.unit());
    if (unit != null) {
      return unit;
    }
    double[] values = block.values();
    if (values.length == 0) {
      return new Rejection(Check.MISSING, "empty block");
    }
    int notFinite = 0;
    int outOfRange = 0;
    int firstNotFinite = -1;
    int firstOutOfRange = -1;
    double min = config.min() == null ? Double.NEGATIVE_INFINITY : config.min();
    double max = config.max() == null ? Double.POSITIVE_INFINITY : config.max();
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (v >= min && v <= max && v - v == 0) {  // v - v is NaN for NaN and for both infinities.
        continue;
      }
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        if (notFinite++ == 0) {
          firstNotFinite = i;
        }
      } else if (outOfRange++ == 0) {
        firstOutOfRange = i;
      }
    }
    if (notFinite > 0) {
      return new Rejection(Check.NOT_FINITE, notFinite + " of " + values.length + " samples are NaN or infinite,"
          + " first at index " + firstNotFinite + " (" + values[firstNotFinite] + ")");
    }
    if (outOfRange > 0) {
      return new Rejection(Check.RANGE, outOfRange + " of " + values.length + " samples are outside "
          + rangeText() + ", first at index " + firstOutOfRange + " (" + values[firstOutOfRange] + ")");
    }
    Instant end = block.timeOf(values.length - 1);
    Rejection time = checkTimestamp(block.start(), end, now);
    if (time != null) {
      return time;
    }
    if (config.stuckCount() > 0) {
      double last = lastValue;
      long same = sameInARow;
      for (double v : values) {
        same = v == last ? same + 1 : 1;
        last = v;
      }
      if (same > config.stuckCount() && same >= values.length) {
        sameInARow = same;
        return new Rejection(Check.STUCK, "the value " + last + " repeated " + same + " times in a row (stuckCount "
            + config.stuckCount() + ")");
      }
      lastValue = last;
      sameInARow = same;
    }
    lastTimestamp = end;
    return null;
  }

  private Rejection checkUnit(String unit) {
    if (config.unit() != null && unit != null && !config.unit().equals(unit)) {
      return new Rejection(Check.UNIT, "unit '" + unit + "', expected '" + config.unit() + "'");
    }
    return null;
  }

  private Rejection checkRange(double number) {
    if (config.min() != null && number < config.min()) {
      return new Rejection(Check.RANGE, "value " + number + " is below min " + config.min());
    }
    if (config.max() != null && number > config.max()) {
      return new Rejection(Check.RANGE, "value " + number + " is above max " + config.max());
    }
    return null;
  }

  private String rangeText() {
    return "[" + (config.min() == null ? "-inf" : config.min()) + ", " + (config.max() == null ? "+inf" : config.max())
        + "]";
  }

  private Rejection checkTimestamp(Instant first, Instant last, Instant now) {
    if (first.isBefore(EARLIEST)) {
      return new Rejection(Check.TIMESTAMP, "timestamp " + first + " is before " + EARLIEST
          + ": the device clock is not set");
    }
    if (last.isAfter(now.plus(config.maxFuture()))) {
      return new Rejection(Check.TIMESTAMP, "timestamp " + last + " is more than " + config.maxFutureMillis()
          + " ms ahead of the module clock " + now);
    }
    if (config.maxAgeMillis() > 0 && first.isBefore(now.minus(config.maxAge()))) {
      return new Rejection(Check.TIMESTAMP, "timestamp " + first + " is more than " + config.maxAgeMillis()
          + " ms behind the module clock " + now);
    }
    if (lastTimestamp != null && !first.isAfter(lastTimestamp)) {
      return new Rejection(Check.TIMESTAMP, "timestamp " + first + " is not after the sensor's previous one "
          + lastTimestamp);
    }
    return null;
  }

  private Rejection checkStuck(double number) {
    if (config.stuckCount() == 0) {
      return null;
    }
    sameInARow = number == lastValue ? sameInARow + 1 : 1;
    lastValue = number;
    if (sameInARow > config.stuckCount()) {
      return new Rejection(Check.STUCK, "the value " + number + " repeated " + sameInARow + " times in a row"
          + " (stuckCount " + config.stuckCount() + ")");
    }
    return null;
  }

  private static String describe(Object value) {
    String text = value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'"
        : String.valueOf(value);
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }
}
