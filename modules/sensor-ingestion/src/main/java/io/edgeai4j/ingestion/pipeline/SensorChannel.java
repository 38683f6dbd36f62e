package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.config.BandConfig;
import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.validation.Check;
import io.edgeai4j.ingestion.validation.Rejection;
import io.edgeai4j.ingestion.validation.SensorValidator;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.Features;
import io.edgeai4j.signal.FrequencyBand;
import io.edgeai4j.signal.SlidingWindow;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One sensor's path from readings to messages: validation, then the valid readings, the window's
 * features and raw windows, or a dead letter (gathered by the shared {@link DeadLetterAggregator}). Keeps
 * the sensor's validation and window state, and the timing of the single readings a window is built from
 * ({@link ReadingTiming}). A block that fails validation resets the window (windows are contiguous),
 * counting the discarded samples; a gap between single readings does not (it is counted and flagged).
 * Thread-safe: calls are serialised on the channel.
 */
final class SensorChannel {
  private final String sensor;
  private final SensorConfig config;
  private final Consumer<OutgoingMessage> out;
  private final DeadLetterAggregator deadLetters;
  private final SensorValidator validator;
  private final SlidingWindow window;
  private final CounterDataPoint samples;
  private final CounterDataPoint windows;
  private final CounterDataPoint discarded;
  private final Map<Check, CounterDataPoint> deadLetterCounts = new EnumMap<>(Check.class);
  // Per-window state.
  private final ReadingTiming timing;
  private Map<String, String> lastProperties = Map.of();
  private FeatureExtractor extractor;
  private List<FrequencyBand> bands = List.of();
  private String bandsError;
  private SampleBlock currentBlock;
  private Instant currentReadingTime;
  private String currentSource;
  private String currentUnit;
  private boolean blockMode;
  private long nextBlockNanos;
  private double blockRate;
  private String owner;

  SensorChannel(String sensor, SensorConfig config, Consumer<OutgoingMessage> out,
      DeadLetterAggregator deadLetters, IngestionMetrics metrics, String module) {
    this.sensor = Objects.requireNonNull(sensor);
    this.config = Objects.requireNonNull(config);
    this.out = Objects.requireNonNull(out);
    this.deadLetters = Objects.requireNonNull(deadLetters);
    this.validator = new SensorValidator(config);
    this.window = config.window() == null ? null : new SlidingWindow(config.window().spec());
    this.timing = config.window() == null ? null : new ReadingTiming(config.window().size(), config.sampleRateHz(),
        config.jitterTolerancePercent(), metrics, module, sensor);
    this.samples = metrics.samples.labelValues(module, sensor);
    this.windows = metrics.windows.labelValues(module, sensor);
    this.discarded = metrics.windowSamplesDiscarded.labelValues(module, sensor);
    for (Check check : Check.values()) {
      deadLetterCounts.put(check, metrics.deadLetters.labelValues(module, sensor, check.label()));
    }
  }

  SensorConfig config() {
    return config;
  }

  synchronized void accept(String source, Reading reading, Instant now) {
    Rejection rejection = claim(source);
    if (rejection == null) {
      rejection = validator.check(reading, now);
    }
    if (rejection != null) {
      deadLetterCounts.get(rejection.check()).inc();
      if (rejection.check() == Check.TIMESTAMP && window != null && !blockMode
          && timing.isOutOfOrder(nanos(reading.timestamp()))) {
        timing.outOfOrder();
      }
      deadLetters.add(DeadLetter.of(source, reading, rejection, now));
      return;
    }
    samples.inc();
    String unit = reading.unit() != null ? reading.unit() : config.unit();
    if (config.sendReadings()) {
      out.accept(MessageFactory.reading(source, reading, unit));
    }
    if (window != null) {
      if (blockMode) {
        resetWindow();  // A window holds one kind of input: blocks carry their own times and rate.
        blockMode = false;
      }
      double value = reading.value() instanceof Double d ? d : ((Long) reading.value()).doubleValue();
      timing.add(nanos(reading.timestamp()));
      lastProperties = reading.properties();
      currentSource = source;
      currentUnit = unit;
      currentBlock = null;
      currentReadingTime = reading.timestamp();
      double rate = config.sampleRateHz() == null ? 0 : config.sampleRateHz();
      ensureExtractor(rate);
      window.add(value, this::onWindow);
    }
  }

  synchronized void accept(String source, SampleBlock block, Instant now) {
    Rejection rejection = claim(source);
    if (rejection == null) {
      rejection = validator.check(block, now);
    }
    if (rejection != null) {
      deadLetterCounts.get(rejection.check()).inc();
      deadLetters.add(DeadLetter.of(source, block, rejection, now));
      if (window != null) {
        resetWindow();  // Windows are contiguous.
      }
      return;
    }
    samples.inc(block.size());
    String unit = block.unit() != null ? block.unit() : config.unit();
    if (config.sendReadings()) {
      for (int from = 0; from < block.size(); from += MessageFactory.MAX_SAMPLES_PER_MESSAGE) {
        int to = Math.min(block.size(), from + MessageFactory.MAX_SAMPLES_PER_MESSAGE);
        out.accept(MessageFactory.samples(source, block, unit, from, to));
      }
    }
    if (window != null) {
      long startNanos = nanos(block.start());
      double halfPeriodNanos = 0.5e9 / block.sampleRateHz();
      if (!blockMode || block.sampleRateHz() != blockRate || Math.abs(startNanos - nextBlockNanos) > halfPeriodNanos) {
        // A gap, an overlap or a new rate: a window must be contiguous at one rate, so start a new one.
        resetWindow();
        blockMode = true;
        blockRate = block.sampleRateHz();
      }
      nextBlockNanos = startNanos + Math.round(block.size() * 1e9 / block.sampleRateHz());
      lastProperties = block.properties();
      currentSource = source;
      currentUnit = unit;
      currentBlock = block;
      ensureExtractor(block.sampleRateHz());
      window.add(block.values(), 0, block.size(), this::onWindow);
    }
  }

  /** The first source to feed a sensor owns it; another source's readings are dead-lettered. */
  private Rejection claim(String source) {
    if (owner == null) {
      owner = source;
      return null;
    }
    if (owner.equals(source)) {
      return null;
    }
    return new Rejection(Check.CONFLICT, "sensor '" + sensor + "' is already fed by source '" + owner
        + "', found a reading from source '" + source + "'; a sensor name must be unique across sources");
  }

  /** Forgets the owning source unless it is one of {@code running} (it was removed or restarted). */
  synchronized void release(java.util.Set<String> running) {
    if (owner != null && !running.contains(owner)) {
      owner = null;
    }
  }

  private void resetWindow() {
    if (window.pending() > 0) {
      discarded.inc(window.pending());
      window.reset();
    }
    timing.reset();
  }

  private static long nanos(Instant time) {
    return time.getEpochSecond() * 1_000_000_000L + time.getNano();
  }

  /** Samples held towards the next window. */
  synchronized int pending() {
    return window == null ? 0 : window.pending();
  }

  /** Counts the samples of an unfinished window as discarded (the channel is being replaced). */
  synchronized void discard() {
    if (window != null) {
      resetWindow();
    }
  }

  private void onWindow(double[] values, int endOffset) {
    String source = currentSource;
    windows.inc();
    int size = values.length;
    Instant end;
    Instant start;
    double rate;
    WindowTiming windowTiming = null;
    if (currentBlock != null) {
      rate = currentBlock.sampleRateHz();
      end = currentBlock.timeOf(endOffset);
      start = end.minusNanos(Math.round((size - 1) * 1e9 / rate));
    } else {
      rate = config.sampleRateHz() == null ? 0 : config.sampleRateHz();
      end = currentReadingTime;
      long startNanos = timing.startNanos(size);
      start = Instant.ofEpochSecond(Math.floorDiv(startNanos, 1_000_000_000L), Math.floorMod(startNanos, 1_000_000_000L));
      windowTiming = timing.window(size);
    }
    String unit = currentUnit;
    if (config.sendFeatures()) {
      Features features = extractor.extract(values);
      out.accept(MessageFactory.features(source, sensor, unit, start, end, rate, size, features, bands, bandsError,
          windowTiming, lastProperties));
    }
    if (config.sendWindows()) {
      out.accept(MessageFactory.window(source, sensor, unit, start, end, rate, values, lastProperties));
    }
  }

  private void ensureExtractor(double rateHz) {
    if (extractor != null && (extractor.sampleRateHz() == rateHz
        || Double.isNaN(extractor.sampleRateHz()) && !(rateHz > 0))) {
      return;
    }
    int size = config.window().size();
    List<FrequencyBand> wanted = new ArrayList<>();
    if (rateHz > 0) {
      if (config.bands() != null) {
        for (Map.Entry<String, BandConfig> b : config.bands().entrySet()) {
          wanted.add(new FrequencyBand(b.getKey(), b.getValue().lowHz(), b.getValue().highHz()));
        }
      } else if (config.bandCount() > 0) {
        wanted.addAll(FrequencyBand.equalWidth(config.bandCount(), rateHz));
      }
    }
    bandsError = null;
    try {
      extractor = new FeatureExtractor(size, rateHz > 0 ? rateHz : Double.NaN, wanted);
      bands = extractor.bands();
    } catch (IllegalArgumentException e) {
      bandsError = "bands not computed at " + rateHz + " Hz: " + e.getMessage();
      extractor = new FeatureExtractor(size, rateHz > 0 ? rateHz : Double.NaN, List.of());
      bands = List.of();
    }
  }

  @Override
  public String toString() {
    return "SensorChannel[" + sensor + "]";
  }

}
