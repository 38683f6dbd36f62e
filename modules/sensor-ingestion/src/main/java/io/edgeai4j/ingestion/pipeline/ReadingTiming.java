package io.edgeai4j.ingestion.pipeline;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The timestamps of the single readings one sensor's window is built from, checked against the sensor's sample
 * period {@code 1 / sampleRateHz}: the spacing of each reading from the one before is {@link Spacing#ON_TIME},
 * {@link Spacing#EARLY} or {@link Spacing#LATE} (more than the tolerance off the period), or a {@link Spacing#GAP}
 * (1.5 periods or more: samples are missing). Each reading is counted once in the metrics when it arrives; each
 * window gets a {@link WindowTiming} over its own readings. Without a sample rate only the order and the mean
 * spacing are known. Not thread-safe: the channel serialises calls.
 */
final class ReadingTiming {
  /** How a reading's spacing from the one before compares with the sample period. */
  enum Spacing {
    ON_TIME, EARLY, LATE, GAP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The metric label of readings that arrived with a timestamp not after the previous one. */
  static final String OUT_OF_ORDER = "out_of_order";

  private final double periodNanos;
  private final double toleranceNanos;
  private final long[] times;
  private final int[] outOfOrderBefore;
  private long count;
  private int pendingOutOfOrder;
  private final Map<Spacing, CounterDataPoint> spacings = new EnumMap<>(Spacing.class);
  private final CounterDataPoint outOfOrder;
  private final CounterDataPoint missing;
  private final GaugeDataPoint jitterMax;

  /**
   * Creates the timing of one sensor's window of single readings.
   *
   * @param capacity The window size: how many readings are kept.
   * @param sampleRateHz The sensor's rate, or null when unknown (then spacing is not classified).
   * @param tolerancePercent How far off the period, in percent of it, a spacing may be and still be on time.
   */
  ReadingTiming(int capacity, Double sampleRateHz, double tolerancePercent, IngestionMetrics metrics, String module,
      String sensor) {
    this.periodNanos = sampleRateHz == null ? Double.NaN : 1e9 / sampleRateHz;
    this.toleranceNanos = periodNanos * tolerancePercent / 100;
    this.times = new long[capacity];
    this.outOfOrderBefore = new int[capacity];
    for (Spacing s : Spacing.values()) {
      spacings.put(s, metrics.readingTiming.labelValues(module, sensor, s.label()));
    }
    this.outOfOrder = metrics.readingTiming.labelValues(module, sensor, OUT_OF_ORDER);
    this.missing = metrics.missingSamples.labelValues(module, sensor);
    this.jitterMax = metrics.windowJitterMax.labelValues(module, sensor);
  }

  /** How a spacing compares with the period; null when the period is unknown. */
  static Spacing classify(long spacingNanos, double periodNanos, double toleranceNanos) {
    if (Double.isNaN(periodNanos)) {
      return null;
    }
    if (spacingNanos >= 1.5 * periodNanos) {
      return Spacing.GAP;
    }
    if (spacingNanos > periodNanos + toleranceNanos) {
      return Spacing.LATE;
    }
    if (spacingNanos < periodNanos - toleranceNanos) {
      return Spacing.EARLY;
    }
    return Spacing.ON_TIME;
  }

  /** Samples a gap of this spacing leaves out: at least one. */
  static long missingIn(long spacingNanos, double periodNanos) {
    return Math.max(1, Math.round(spacingNanos / periodNanos) - 1);
  }

  /** A valid reading joined the window; its spacing from the previous one is counted. */
  void add(long nanos) {
    if (count > 0) {
      long spacing = nanos - times[slot(count - 1)];
      Spacing kind = classify(spacing, periodNanos, toleranceNanos);
      if (kind != null) {
        spacings.get(kind).inc();
        if (kind == Spacing.GAP) {
          missing.inc(missingIn(spacing, periodNanos));
        }
      }
    }
    times[slot(count)] = nanos;
    outOfOrderBefore[slot(count)] = pendingOutOfOrder;
    pendingOutOfOrder = 0;
    count++;
  }

  /** Whether a reading at this time would go back in time (or repeat the last one). */
  boolean isOutOfOrder(long nanos) {
    return count > 0 && nanos <= times[slot(count - 1)];
  }

  /** A reading was refused because its timestamp was not after the previous one; it counts in the next window. */
  void outOfOrder() {
    pendingOutOfOrder++;
    outOfOrder.inc();
  }

  /** Forgets the readings: the window starts again. */
  void reset() {
    count = 0;
    pendingOutOfOrder = 0;
  }

  /** The time of the first of the last {@code size} readings, in nanoseconds since the epoch. */
  long startNanos(int size) {
    return times[slot(count - size)];
  }

  /** The timing of the window made of the last {@code size} readings; sets the jitter gauge. */
  WindowTiming window(int size) {
    int early = 0;
    int late = 0;
    int gaps = 0;
    int order = 0;
    long missingSamples = 0;
    double jitter = 0;
    long first = count - size;
    order += outOfOrderBefore[slot(first)];
    for (long i = first + 1; i < count; i++) {
      long spacing = times[slot(i)] - times[slot(i - 1)];
      order += outOfOrderBefore[slot(i)];
      Spacing kind = classify(spacing, periodNanos, toleranceNanos);
      if (kind == null) {
        continue;
      }
      switch (kind) {
        case EARLY -> early++;
        case LATE -> late++;
        case GAP -> {
          gaps++;
          missingSamples += missingIn(spacing, periodNanos);
        }
        default -> { }
      }
      if (kind != Spacing.GAP) {
        jitter = Math.max(jitter, Math.abs(spacing - periodNanos));
      }
    }
    double meanSpacing = size > 1 ? (double) (times[slot(count - 1)] - times[slot(first)]) / (size - 1) : Double.NaN;
    boolean known = !Double.isNaN(periodNanos);
    if (known) {
      jitterMax.set(jitter / 1e9);
    }
    return new WindowTiming(meanSpacing / 1e6, known ? periodNanos / 1e6 : null, known ? toleranceNanos / 1e6 : null,
        known ? jitter / 1e6 : null, early, late, gaps, missingSamples, order);
  }

  private int slot(long index) {
    return (int) (index % times.length);
  }
}
