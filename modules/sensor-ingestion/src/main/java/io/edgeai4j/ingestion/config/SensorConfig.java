package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one sensor's readings are checked, windowed and sent: the value of {@code sensors.<name>} in the
 * module twin. Immutable; validated on creation. A sensor a source produces that has no entry gets
 * {@link #DEFAULT}.
 *
 * @param type {@code number} (default) or {@code boolean}.
 * @param unit The unit readings must carry (a reading that reports another unit is dead-lettered; one
 *     that reports none is stamped with this one); null accepts any.
 * @param min The smallest valid value, or null.
 * @param max The largest valid value, or null.
 * @param stuckCount After this many identical values in a row, further identical values are
 *     dead-lettered as stuck; 0 (default) turns the check off; otherwise 2 or more.
 * @param maxFutureMillis How far ahead of the module's clock a timestamp may be; default 5000.
 * @param maxAgeMillis How far behind the module's clock a timestamp may be; 0 (default) for no limit.
 * @param window The window, or null for none.
 * @param sampleRateHz The sample rate of a sensor read one value at a time, for its spectral bands, and
 *     the spacing of the samples of an array from a source that gives no rate (OPC UA, MQTT: see
 *     {@code SourceContext.sampleRateHz}); null when unknown. Other sample blocks carry their own rate. With a
 *     window of single readings, the spacing of the readings' timestamps is checked against it.
 * @param jitterTolerancePercent How far, in percent of the sample period {@code 1 / sampleRateHz}, the spacing of
 *     two readings in a window may deviate from the period before the later reading counts as early or late;
 *     above 0 and below 50, default 10. A spacing of 1.5 periods or more is a gap.
 * @param bands Named frequency bands whose energy is a feature; null for {@code bandCount} equal bands.
 * @param bandCount How many equal-width bands from 0 to the Nyquist frequency when {@code bands} is not
 *     given; default 8; 0 for none. Bands need a known sample rate.
 * @param sendReadings Whether each valid reading is sent on output {@code readings}; default: when
 *     there is no window.
 * @param sendFeatures Whether each window's features are sent on output {@code features}; default true.
 * @param sendWindows Whether each window's raw samples are sent on output {@code windows}; default
 *     false; windows of up to {@value #MAX_SENT_WINDOW} samples.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SensorConfig(
    ValueType type,
    String unit,
    Double min,
    Double max,
    int stuckCount,
    long maxFutureMillis,
    long maxAgeMillis,
    WindowConfig window,
    Double sampleRateHz,
    double jitterTolerancePercent,
    Map<String, BandConfig> bands,
    int bandCount,
    boolean sendReadings,
    boolean sendFeatures,
    boolean sendWindows) {

  /** The largest window sent whole on output {@code windows}: its JSON stays under edgeHub's 256 KB. */
  public static final int MAX_SENT_WINDOW = 8192;
  /** The default tolerance of a reading's spacing, in percent of the sample period. */
  public static final double DEFAULT_JITTER_TOLERANCE_PERCENT = 10;
  /** The default equal-width band count. */
  public static final int DEFAULT_BAND_COUNT = 8;

  /** The configuration of a sensor the twin does not list. */
  public static final SensorConfig DEFAULT = of(null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null);

  /** A sensor with the default jitter tolerance; absent values take their defaults. */
  public static SensorConfig of(ValueType type, String unit, Double min, Double max, Integer stuckCount,
      Long maxFutureMillis, Long maxAgeMillis, WindowConfig window, Double sampleRateHz, Map<String, BandConfig> bands,
      Integer bandCount, Boolean sendReadings, Boolean sendFeatures, Boolean sendWindows) {
    return of(type, unit, min, max, stuckCount, maxFutureMillis, maxAgeMillis, window, sampleRateHz, null, bands,
        bandCount, sendReadings, sendFeatures, sendWindows);
  }

  /** Binds a sensor from the twin; absent values take their defaults. */
  @JsonCreator
  public static SensorConfig of(
      @JsonProperty("type") ValueType type,
      @JsonProperty("unit") String unit,
      @JsonProperty("min") Double min,
      @JsonProperty("max") Double max,
      @JsonProperty("stuckCount") Integer stuckCount,
      @JsonProperty("maxFutureMillis") Long maxFutureMillis,
      @JsonProperty("maxAgeMillis") Long maxAgeMillis,
      @JsonProperty("window") WindowConfig window,
      @JsonProperty("sampleRateHz") Double sampleRateHz,
      @JsonProperty("jitterTolerancePercent") Double jitterTolerancePercent,
      @JsonProperty("bands") Map<String, BandConfig> bands,
      @JsonProperty("bandCount") Integer bandCount,
      @JsonProperty("sendReadings") Boolean sendReadings,
      @JsonProperty("sendFeatures") Boolean sendFeatures,
      @JsonProperty("sendWindows") Boolean sendWindows) {
    return new SensorConfig(
        type == null ? ValueType.NUMBER : type,
        unit,
        min,
        max,
        stuckCount == null ? 0 : stuckCount,
        maxFutureMillis == null ? 5000 : maxFutureMillis,
        maxAgeMillis == null ? 0 : maxAgeMillis,
        window,
        sampleRateHz,
        jitterTolerancePercent == null ? DEFAULT_JITTER_TOLERANCE_PERCENT : jitterTolerancePercent,
        bands == null ? null : new TreeMap<>(bands),
        bandCount == null ? DEFAULT_BAND_COUNT : bandCount,
        sendReadings == null ? window == null : sendReadings,
        sendFeatures == null || sendFeatures,
        sendWindows != null && sendWindows);
  }

  /** Validates. */
  public SensorConfig {
    if (type == null) {
      throw new IllegalArgumentException("type must be number or boolean");
    }
    if (unit != null && unit.isBlank()) {
      throw new IllegalArgumentException("unit must not be blank; leave it out to accept any unit");
    }
    if (min != null && !Double.isFinite(min) || max != null && !Double.isFinite(max)) {
      throw new IllegalArgumentException("min and max must be finite numbers, found min " + min + ", max " + max);
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
    if (stuckCount == 1 || stuckCount < 0) {
      throw new IllegalArgumentException("stuckCount must be 0 (off) or 2 or more, found " + stuckCount);
    }
    if (maxFutureMillis < 0 || maxAgeMillis < 0) {
      throw new IllegalArgumentException("maxFutureMillis and maxAgeMillis must be 0 or more, found "
          + maxFutureMillis + " and " + maxAgeMillis);
    }
    if (sampleRateHz != null && !(sampleRateHz > 0 && Double.isFinite(sampleRateHz))) {
      throw new IllegalArgumentException("sampleRateHz must be a positive number, found " + sampleRateHz);
    }
    if (!(jitterTolerancePercent > 0 && jitterTolerancePercent < 50)) {
      throw new IllegalArgumentException("jitterTolerancePercent must be above 0 and below 50 (a spacing of 1.5"
          + " periods is a gap), found " + jitterTolerancePercent);
    }
    if (bandCount < 0 || bandCount > 256) {
      throw new IllegalArgumentException("bandCount must be 0 to 256, found " + bandCount);
    }
    if (bands != null) {
      for (String name : bands.keySet()) {
        if (!TwinKeys.isValid(name)) {
          throw new IllegalArgumentException("band name '" + name + "' " + TwinKeys.RULE);
        }
      }
      bands = java.util.Collections.unmodifiableMap(new TreeMap<>(bands));
    }
    if (type == ValueType.BOOLEAN && (window != null || min != null || max != null || stuckCount != 0)) {
      throw new IllegalArgumentException("a boolean sensor takes no window, min, max or stuckCount");
    }
    if (sendWindows && window == null) {
      throw new IllegalArgumentException("sendWindows needs a window");
    }
    if (sendWindows && window.size() > MAX_SENT_WINDOW) {
      throw new IllegalArgumentException("sendWindows sends windows of up to " + MAX_SENT_WINDOW
          + " samples (edgeHub's 256 KB message limit), found a window of " + window.size());
    }
  }

  /** How far ahead of the clock a timestamp may be. */
  public Duration maxFuture() {
    return Duration.ofMillis(maxFutureMillis);
  }

  /** How far behind the clock a timestamp may be; zero for no limit. */
  public Duration maxAge() {
    return Duration.ofMillis(maxAgeMillis);
  }
}
