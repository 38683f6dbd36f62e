package io.edgeai4j.ingestion.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Uniformly sampled values of one sensor: {@code values[i]} was sampled at
 * {@code start + i * samplePeriod}. High-rate signals (vibration at kHz rates) travel as blocks so that
 * no object is made per sample. The block takes ownership of {@code values}: the source must not
 * change the array after passing it on. Immutable once built; thread-safe.
 */
public final class SampleBlock {
  private final String sensor;
  private final Instant start;
  private final double sampleRateHz;
  private final double[] values;
  private final String unit;
  private final Map<String, String> properties;

  /**
   * Creates a block.
   *
   * @param sensor The sensor's name.
   * @param start When {@code values[0]} was sampled.
   * @param sampleRateHz The sample rate, greater than 0.
   * @param values The samples; owned by the block from now on.
   * @param unit The unit of the samples, or null when the source reports none.
   * @param properties Message properties for the whole block (e.g. the simulator's ground-truth label).
   */
  public SampleBlock(String sensor, Instant start, double sampleRateHz, double[] values, String unit,
      Map<String, String> properties) {
    this.sensor = Objects.requireNonNull(sensor, "sensor");
    this.start = Objects.requireNonNull(start, "start");
    if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
      throw new IllegalArgumentException("block of " + sensor + ": sample rate must be a positive number of Hz, found "
          + sampleRateHz);
    }
    this.sampleRateHz = sampleRateHz;
    this.values = Objects.requireNonNull(values, "values");
    this.unit = unit;
    this.properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  public String sensor() {
    return sensor;
  }

  /** When the first sample was taken. */
  public Instant start() {
    return start;
  }

  public double sampleRateHz() {
    return sampleRateHz;
  }

  /** The time between two samples. */
  public Duration samplePeriod() {
    return Duration.ofNanos(Math.round(1e9 / sampleRateHz));
  }

  /** When sample {@code index} was taken. */
  public Instant timeOf(int index) {
    return start.plusNanos(Math.round(index * 1e9 / sampleRateHz));
  }

  /** The samples: the block's own array, not a copy; do not change it. */
  public double[] values() {
    return values;
  }

  public int size() {
    return values.length;
  }

  /** The unit of the samples, or null. */
  public String unit() {
    return unit;
  }

  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public String toString() {
    return "SampleBlock[" + sensor + ", " + values.length + " samples at " + sampleRateHz + " Hz from " + start + "]";
  }
}
