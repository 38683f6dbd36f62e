package io.edgeai4j.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.ingestion.config.DeadLetterConfig;
import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.config.WindowConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Windows of single readings: the spacing of their timestamps against 1/sampleRateHz, in messages and metrics. */
class ReadingTimingTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant NOW = T0.plusSeconds(3600);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final IngestionMetrics metrics = IngestionMetrics.forRegistry(registry);
  private final List<OutgoingMessage> sent = new ArrayList<>();
  private final DeadLetterAggregator deadLetters = new DeadLetterAggregator(sent::add, DeadLetterConfig.DEFAULT,
      metrics, "m");

  private SensorChannel channel(int size, int hop, Double rateHz, Double tolerancePercent) {
    SensorConfig config = SensorConfig.of(null, null, null, null, null, null, null, WindowConfig.of(size, hop),
        rateHz, tolerancePercent, null, 0, null, null, null);
    return new SensorChannel("force", config, sent::add, deadLetters, metrics, "m");
  }

  /** Feeds readings at these offsets from T0 (milliseconds, space-separated), valued 1, 2, 3... */
  private static void feed(SensorChannel channel, String offsetsMs) {
    long[] offsets = Arrays.stream(offsetsMs.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    for (int i = 0; i < offsets.length; i++) {
      channel.accept("plc", Reading.of("force", T0.plusMillis(offsets[i]), i + 1), NOW);
    }
  }

  private List<JsonNode> features() {
    return sent.stream().filter(m -> m.output().equals(Outputs.FEATURES)).map(m -> m.message().bodyAsJson())
        .toList();
  }

  private double timingMetric(String kind) {
    return MetricValues.value(registry, "edgeai4j_ingestion_reading_timing", "sensor", "force", "kind", kind);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                  | offsets of the readings, ms (10 Hz: period 100 ms)  | tol % | early | late | gaps | missing | outOfOrder | jitterMaxMs
      exact                   | 0 100 200 300 400 500 600 700                       | 10    | 0     | 0    | 0    | 0       | 0          | 0
      jittered within 10 %    | 0 105 195 300 408 500 591 700                       | 10    | 0     | 0    | 0    | 0       | 0          | 10
      jittered beyond 5 %     | 0 105 195 300 408 500 591 700                       | 5     | 3     | 2    | 0    | 0       | 0          | 10
      one late, one early     | 0 100 230 300 400 500 600 700                       | 10    | 1     | 1    | 0    | 0       | 0          | 30
      late just below a gap   | 0 100 249 349 449 549 649 749                       | 10    | 0     | 1    | 0    | 0       | 0          | 49
      a gap at 1.5 periods    | 0 100 250 350 450 550 650 750                       | 10    | 0     | 0    | 1    | 1       | 0          | 0
      one sample missing      | 0 100 200 400 500 600 700 800                       | 10    | 0     | 0    | 1    | 1       | 0          | 0
      three samples missing   | 0 100 500 600 700 800 900 1000                      | 10    | 0     | 0    | 1    | 3       | 0          | 0
      two gaps                | 0 300 400 500 600 700 1000 1100                     | 10    | 0     | 0    | 2    | 4       | 0          | 0
      the README's example    | 0 100 230 300 400 600 700 800                       | 10    | 1     | 1    | 1    | 1       | 0          | 30
      back in time            | 0 100 200 150 300 400 500 600 700                   | 10    | 0     | 0    | 0    | 0       | 1          | 0
      a repeated timestamp    | 0 100 100 200 300 400 500 600 700                   | 10    | 0     | 0    | 0    | 0       | 1          | 0
      """)
  void eachWindowOfSingleReadingsReportsItsTiming(String name, String offsets, double tolerance, int early, int late,
      int gaps, int missing, int outOfOrder, double jitterMaxMs) {
    feed(channel(8, 8, 10.0, tolerance), offsets);

    assertThat(features()).as("a window with gaps is still computed, and flagged").hasSize(1);
    JsonNode window = features().get(0);
    assertThat(window.get("samples").asInt()).isEqualTo(8);
    assertThat(window.get("windowStart").asText()).isEqualTo(T0.toString());
    JsonNode timing = window.get("timing");
    assertThat(timing.get("periodMs").asDouble()).isEqualTo(100);
    assertThat(timing.get("toleranceMs").asDouble()).isEqualTo(tolerance);
    assertThat(timing.get("early").asInt()).as("early").isEqualTo(early);
    assertThat(timing.get("late").asInt()).as("late").isEqualTo(late);
    assertThat(timing.get("gaps").asInt()).as("gaps").isEqualTo(gaps);
    assertThat(timing.get("missingSamples").asInt()).as("missing").isEqualTo(missing);
    assertThat(timing.get("outOfOrder").asInt()).as("outOfOrder").isEqualTo(outOfOrder);
    assertThat(timing.get("jitterMaxMs").asDouble()).as("jitterMaxMs").isCloseTo(jitterMaxMs,
        offset(1e-6));
    Instant end = Instant.parse(window.get("windowEnd").asText());
    assertThat(timing.get("meanSpacingMs").asDouble()).isCloseTo((end.toEpochMilli() - T0.toEpochMilli()) / 7.0,
        offset(1e-6));

    // The same counts per reading in the metrics; an out-of-order reading is also a dead letter (timestamp).
    assertThat(timingMetric("early")).isEqualTo(early);
    assertThat(timingMetric("late")).isEqualTo(late);
    assertThat(timingMetric("gap")).isEqualTo(gaps);
    assertThat(timingMetric("on_time")).isEqualTo(7 - early - late - gaps);
    assertThat(timingMetric("out_of_order")).isEqualTo(outOfOrder);
    assertThat(MetricValues.value(registry, "edgeai4j_ingestion_missing_samples", "sensor", "force"))
        .isEqualTo(missing);
    assertThat(MetricValues.value(registry, "edgeai4j_ingestion_dead_letters", "sensor", "force", "check",
        "timestamp")).isEqualTo(outOfOrder);
    assertThat(MetricValues.value(registry, "edgeai4j_ingestion_window_jitter_max_seconds", "sensor", "force"))
        .isCloseTo(jitterMaxMs / 1000, offset(1e-9));
  }

  @Test
  void slidingWindowsCountTheSpacingsInsideEachWindowAndTheMetricsCountEachReadingOnce() {
    // Windows of 4 with hop 2: [0 100 200 400] and [200 400 500 600] both hold the 200 -> 400 gap.
    feed(channel(4, 2, 10.0, null), "0 100 200 400 500 600 700 800");
    assertThat(features()).extracting(f -> f.at("/timing/gaps").asInt()).containsExactly(1, 1, 0);
    assertThat(features()).extracting(f -> f.get("windowStart").asText())
        .containsExactly(T0.toString(), T0.plusMillis(200).toString(), T0.plusMillis(500).toString());
    assertThat(timingMetric("gap")).isEqualTo(1);
    assertThat(timingMetric("on_time")).isEqualTo(6);
  }

  @Test
  void anOutOfOrderReadingCountsInTheWindowItFallsInOrTheNextOneAtABoundary() {
    feed(channel(4, 4, 10.0, null), "0 100 50 200 300 250 400 500 600 700 800 900 1000 1100");
    assertThat(features()).extracting(f -> f.at("/timing/outOfOrder").asInt()).containsExactly(1, 1, 0);
  }

  @Test
  void withoutASampleRateOnlyTheOrderAndTheMeanSpacingAreReported() {
    feed(channel(4, 4, null, null), "0 100 350 400");
    JsonNode timing = features().get(0).get("timing");
    assertThat(timing.get("meanSpacingMs").asDouble()).isCloseTo(400 / 3.0, offset(1e-9));
    assertThat(timing.get("outOfOrder").asInt()).isZero();
    assertThat(timing.has("periodMs")).isFalse();
    assertThat(timing.has("gaps")).isFalse();
    assertThat(timingMetric("gap") + timingMetric("on_time")).isZero();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 50, -5, Double.NaN})
  void aToleranceOutsideTheOpenRangeZeroToFiftyPercentIsRefused(double tolerance) {
    assertThatThrownBy(() -> SensorConfig.of(null, null, null, null, null, null, null, WindowConfig.of(8, 8), 10.0,
        tolerance, null, 0, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitterTolerancePercent must be above 0 and below 50 (a spacing of 1.5 periods is a gap), found "
            + tolerance);
  }
}
