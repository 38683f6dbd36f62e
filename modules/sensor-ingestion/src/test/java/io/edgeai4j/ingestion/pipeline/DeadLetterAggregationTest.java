package io.edgeai4j.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.ingestion.config.DeadLetterConfig;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.delivery.OutgoingMessage;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.module.UnknownKeys;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dead letters gathered per sensor, check and source over an interval, with every one counted in the metrics. */
class DeadLetterAggregationTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Duration MINUTE = Duration.ofSeconds(60);
  /** Every check can fail: a unit, a range and stuck-at detection. */
  private static final SensorConfig CHECKED = SensorConfig.of(null, "degC", 0.0, 100.0, 2, null, null, null, null,
      null, null, null, null, null);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final IngestionMetrics metrics = IngestionMetrics.forRegistry(registry);
  private final List<OutgoingMessage> sent = new ArrayList<>();
  private final DeadLetterAggregator deadLetters = new DeadLetterAggregator(sent::add,
      new DeadLetterConfig(MINUTE.toMillis(), 100), metrics, "m");

  private List<OutgoingMessage> deadLetterMessages() {
    return sent.stream().filter(m -> m.output().equals(Outputs.DEADLETTER)).toList();
  }

  private List<JsonNode> deadLetterBodies() {
    return deadLetterMessages().stream().map(m -> m.message().bodyAsJson()).toList();
  }

  private double metric(String name, String... labels) {
    return MetricValues.value(registry, name, labels);
  }

  /** The i-th reading that fails {@code check} (after {@link #prime}), at {@code time}. */
  private static Reading bad(String sensor, String check, int i, Instant time) {
    return switch (check) {
      case "missing" -> new Reading(sensor, time, null, null, Map.of("status", "Bad_NoCommunication"));
      case "type" -> new Reading(sensor, time, "n/a " + i, null, Map.of());
      case "unit" -> new Reading(sensor, time, 20.0 + i, "degF", Map.of());
      case "not_finite" -> new Reading(sensor, time, Double.NaN, null, Map.of());
      case "range" -> new Reading(sensor, time, 150.0 + i, null, Map.of());
      case "timestamp" -> new Reading(sensor, Instant.parse("1999-01-01T00:00:00Z").plusSeconds(i), 20.0, null,
          Map.of());
      case "stuck" -> new Reading(sensor, time, 7.0, null, Map.of());
      case "conflict" -> new Reading(sensor, time, 20.0 + i, null, Map.of());
      default -> throw new IllegalArgumentException(check);
    };
  }

  /** What a check needs first: two identical values for stuck, the owning source's reading for conflict. */
  private static void prime(SensorChannel channel, String sensor, String check) {
    Instant before = T0.minusSeconds(10);
    if (check.equals("stuck")) {
      channel.accept("plc", Reading.of(sensor, before, 7.0), T0);
      channel.accept("plc", Reading.of(sensor, before.plusSeconds(1), 7.0), T0);
    } else if (check.equals("conflict")) {
      channel.accept("plc", Reading.of(sensor, before, 20.0), T0);
    }
  }

  @ParameterizedTest(name = "{0} fails {1}")
  @CsvSource({
      "boiler, missing", "boiler, type", "boiler, unit", "boiler, not_finite",
      "boiler, range", "boiler, timestamp", "boiler, stuck", "boiler, conflict",
      "press, missing", "press, type", "press, unit", "press, not_finite",
      "press, range", "press, timestamp", "press, stuck", "press, conflict"})
  void sevenBadReadingsInAnIntervalBecomeOneMessageWithTheCountAndTheFirstAndLastExample(String sensor,
      String check) {
    SensorChannel channel = new SensorChannel(sensor, CHECKED, sent::add, deadLetters, metrics, "m");
    prime(channel, sensor, check);
    String source = check.equals("conflict") ? "other" : "plc";
    for (int i = 0; i < 7; i++) {
      Instant time = T0.plusSeconds(i);
      channel.accept(source, bad(sensor, check, i, time), time);
    }
    deadLetters.flushDue(T0.plus(MINUTE).minusMillis(1));
    assertThat(deadLetterMessages()).as("nothing before the interval ends").isEmpty();

    deadLetters.flushDue(T0.plus(MINUTE));
    assertThat(deadLetterMessages()).hasSize(1);
    OutgoingMessage message = deadLetterMessages().get(0);
    assertThat(message.message().property("sensor")).contains(sensor);
    assertThat(message.message().property("source")).contains(source);
    assertThat(message.message().property("check")).contains(check);
    JsonNode body = message.message().bodyAsJson();
    assertThat(body.get("sensor").asText()).isEqualTo(sensor);
    assertThat(body.get("source").asText()).isEqualTo(source);
    assertThat(body.get("check").asText()).isEqualTo(check);
    assertThat(body.get("count").asLong()).isEqualTo(7);
    assertThat(body.get("samples").asLong()).isEqualTo(7);
    assertThat(body.get("intervalStart").asText()).isEqualTo(T0.toString());
    assertThat(body.get("intervalEnd").asText()).isEqualTo(T0.plus(MINUTE).toString());
    assertThat(body.at("/firstExample/receivedAt").asText()).isEqualTo(T0.toString());
    assertThat(body.at("/lastExample/receivedAt").asText()).isEqualTo(T0.plusSeconds(6).toString());
    assertThat(body.at("/firstExample/timestamp").asText())
        .isEqualTo(bad(sensor, check, 0, T0).timestamp().toString());
    assertThat(body.at("/lastExample/timestamp").asText())
        .isEqualTo(bad(sensor, check, 6, T0.plusSeconds(6)).timestamp().toString());
    assertThat(body.at("/firstExample/reason").asText()).isNotBlank();
    assertThat(message.message().property("reason")).contains(body.at("/firstExample/reason").asText());
    assertThat(metric("edgeai4j_ingestion_dead_letters", "sensor", sensor, "check", check)).isEqualTo(7);
    assertThat(metric("edgeai4j_ingestion_dead_letter_messages")).isEqualTo(1);
    assertThat(metric("edgeai4j_ingestion_dead_letter_keys")).isZero();
  }

  @Test
  void aDeadLetterAfterItsKeysIntervalEndedSendsThatIntervalFirstWithoutWaitingForTheTimer() {
    SensorChannel channel = new SensorChannel("boiler", CHECKED, sent::add, deadLetters, metrics, "m");
    channel.accept("plc", bad("boiler", "range", 0, T0), T0);
    channel.accept("plc", bad("boiler", "range", 1, T0.plusSeconds(59)), T0.plusSeconds(59));
    assertThat(deadLetterBodies()).isEmpty();
    Instant late = T0.plusSeconds(75);
    channel.accept("plc", bad("boiler", "range", 2, late), late);
    assertThat(deadLetterBodies()).hasSize(1);
    assertThat(deadLetterBodies().get(0).get("count").asInt()).isEqualTo(2);
    assertThat(deadLetterBodies().get(0).get("intervalEnd").asText()).isEqualTo(T0.plus(MINUTE).toString());
    deadLetters.flushDue(late.plus(MINUTE));
    assertThat(deadLetterBodies().get(1).get("intervalStart").asText()).isEqualTo(late.toString());
    assertThat(deadLetterBodies().get(1).get("count").asInt()).isEqualTo(1);
  }

  @Test
  void examplesShowTheReadingAsItCame() {
    SensorChannel channel = new SensorChannel("boiler", CHECKED, sent::add, deadLetters, metrics, "m");
    channel.accept("plc", new Reading("boiler", T0, 20.0, "degF", Map.of("status", "Good")), T0);
    channel.accept("plc", new Reading("boiler", T0.plusSeconds(1), 21.5, "degF", Map.of()), T0.plusSeconds(1));
    deadLetters.flushAll(T0.plusSeconds(2));
    JsonNode body = deadLetterBodies().get(0);
    assertThat(body.get("firstExample").toString()).isEqualTo("{\"receivedAt\":\"2026-11-28T10:00:00Z\",\"reason\":"
        + "\"unit 'degF', expected 'degC'\",\"unit\":\"degF\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"value\":20.0,"
        + "\"properties\":{\"status\":\"Good\"}}");
    assertThat(body.at("/lastExample/value").asDouble()).isEqualTo(21.5);
  }

  @Test
  void interleavedSensorsAndChecksGetOneMessageEachPerInterval() {
    SensorChannel boiler = new SensorChannel("boiler", CHECKED, sent::add, deadLetters, metrics, "m");
    SensorChannel press = new SensorChannel("press", CHECKED, sent::add, deadLetters, metrics, "m");
    for (int i = 0; i < 40; i++) {
      Instant time = T0.plusSeconds(i);
      String check = i % 2 == 0 ? "range" : "unit";
      (i % 4 < 2 ? boiler : press).accept("plc", bad(i % 4 < 2 ? "boiler" : "press", check, i, time), time);
    }
    // Each key's interval opens with its first dead letter, at T0 to T0 + 3 s.
    deadLetters.flushDue(T0.plus(MINUTE).plusSeconds(3));
    assertThat(deadLetterBodies()).extracting(b -> b.get("sensor").asText() + "/" + b.get("check").asText() + "="
        + b.get("count").asInt() + " from " + b.get("intervalStart").asText())
        .containsExactlyInAnyOrder("boiler/range=10 from 2026-11-28T10:00:00Z", "boiler/unit=10 from 2026-11-28T10:00:01Z",
            "press/range=10 from 2026-11-28T10:00:02Z", "press/unit=10 from 2026-11-28T10:00:03Z");
  }

  @Test
  void aMisconfigured10HzPointSendsOneMessagePerIntervalAllDayInsteadOf864000() {
    // ramForce scaled in N, not kN: every reading is above max, ten a second for a day.
    SensorConfig kilonewtons = SensorConfig.of(null, "kN", null, 2000.0, null, null, null, null, null, null, null,
        null, null, null);
    SensorChannel channel = new SensorChannel("ramForce", kilonewtons, sent::add, deadLetters, metrics, "m");
    for (int second = 0; second < 86_400; second++) {
      for (int tenth = 0; tenth < 10; tenth++) {
        Instant time = T0.plusMillis(second * 1000L + tenth * 100L);
        channel.accept("press", Reading.of("ramForce", time, 2_500_000.0), time);
      }
      deadLetters.flushDue(T0.plusSeconds(second + 1));  // The module's timer.
    }
    List<JsonNode> bodies = deadLetterBodies();
    assertThat(bodies).hasSize(1440);
    for (int k = 0; k < bodies.size(); k++) {
      JsonNode body = bodies.get(k);
      Instant start = T0.plus(MINUTE.multipliedBy(k));
      assertThat(body.get("count").asLong()).isEqualTo(600);
      assertThat(body.get("intervalStart").asText()).isEqualTo(start.toString());
      assertThat(body.get("intervalEnd").asText()).isEqualTo(start.plus(MINUTE).toString());
      assertThat(body.at("/lastExample/timestamp").asText()).isEqualTo(start.plusMillis(59_900).toString());
    }
    assertThat(metric("edgeai4j_ingestion_dead_letters", "sensor", "ramForce", "check", "range")).isEqualTo(864_000);
    assertThat(metric("edgeai4j_ingestion_dead_letter_messages")).isEqualTo(1440);
  }

  @Test
  void keysPastTheLimitGatherInOneOverflowMessageCountedInAMetric() {
    DeadLetterAggregator limited = new DeadLetterAggregator(sent::add, new DeadLetterConfig(MINUTE.toMillis(), 2),
        metrics, "m");
    for (String sensor : List.of("a", "b", "c", "d", "c")) {
      SensorChannel channel = new SensorChannel(sensor, CHECKED, sent::add, limited, metrics, "m");
      channel.accept("plc", bad(sensor, "range", 0, T0), T0);
    }
    assertThat(metric("edgeai4j_ingestion_dead_letter_keys")).isEqualTo(2);
    assertThat(metric("edgeai4j_ingestion_dead_letter_overflow")).isEqualTo(3);
    limited.flushDue(T0.plus(MINUTE));
    assertThat(deadLetterBodies()).hasSize(3);
    assertThat(deadLetterBodies().subList(0, 2)).extracting(b -> b.get("sensor").asText()).containsExactly("a", "b");
    JsonNode overflow = deadLetterBodies().get(2);
    assertThat(overflow.get("overflow").asBoolean()).isTrue();
    assertThat(overflow.get("count").asInt()).isEqualTo(3);
    assertThat(overflow.has("sensor")).isFalse();
    assertThat(overflow.at("/firstExample/sensor").asText()).isEqualTo("c");
    assertThat(overflow.at("/firstExample/check").asText()).isEqualTo("range");
    assertThat(overflow.at("/lastExample/sensor").asText()).isEqualTo("c");
    assertThat(deadLetterMessages().get(2).message().property("overflow")).contains("true");
    // Every reading is still counted by sensor and check.
    assertThat(metric("edgeai4j_ingestion_dead_letters", "sensor", "c", "check", "range")).isEqualTo(2);
    assertThat(metric("edgeai4j_ingestion_dead_letter_keys")).isZero();
  }

  @Test
  void aBadBlockIsOneDeadLetterWhoseExampleKeepsItsFirstSamples() {
    SensorChannel channel = new SensorChannel("vibration", CHECKED, sent::add, deadLetters, metrics, "m");
    double[] values = new double[50_000];
    Arrays.fill(values, Double.NaN);
    channel.accept("daq", new SampleBlock("vibration", T0, 25_000, values, null, Map.of()), T0);
    channel.accept("daq", new SampleBlock("vibration", T0.plusSeconds(2), 25_000, values, null, Map.of()),
        T0.plusSeconds(2));
    deadLetters.flushAll(T0.plusSeconds(3));
    OutgoingMessage message = deadLetterMessages().get(0);
    JsonNode body = message.message().bodyAsJson();
    assertThat(body.get("count").asInt()).isEqualTo(2);
    assertThat(body.get("samples").asInt()).isEqualTo(100_000);
    assertThat(body.at("/lastExample/start").asText()).isEqualTo(T0.plusSeconds(2).toString());
    assertThat(body.at("/lastExample/samples").asInt()).isEqualTo(50_000);
    assertThat(body.at("/lastExample/values").size()).isEqualTo(MessageFactory.MAX_DEAD_LETTER_SAMPLES);
    assertThat(body.at("/lastExample/valuesTruncatedTo").asInt()).isEqualTo(MessageFactory.MAX_DEAD_LETTER_SAMPLES);
    assertThat(message.message().sizeInBytes()).isLessThan(256 * 1024);
  }

  @Test
  void theLimitsAreCheckedWithTheSettingName() {
    assertThatThrownBy(() -> new DeadLetterConfig(999, 10))
        .hasMessage("deadLetters.intervalMillis must be 1000 to 86400000, found 999");
    assertThatThrownBy(() -> new DeadLetterConfig(60_000, 0))
        .hasMessage("deadLetters.maxKeys must be 1 to 100000, found 0");
  }

  @Test
  void thePipelineSendsWhatItGatheredWhenItStopsAndTakesANewIntervalFromTheTwin(@TempDir Path state)
      throws Exception {
    TestClock clock = new TestClock(T0);
    IngestionPipeline pipeline = new IngestionPipeline("m", sent::add, metrics, clock, state, source -> { });
    pipeline.apply(resolve("""
        {"sensors": {"boiler": {"max": 100}}, "deadLetters": {"intervalMillis": 60000}}"""));
    for (int i = 0; i < 3; i++) {
      pipeline.accept("plc", Reading.of("boiler", clock.instant(), 500.0 + i));
      clock.advance(Duration.ofSeconds(1));
    }
    // A shorter interval from a desired patch applies to the open one.
    pipeline.apply(resolve("""
        {"sensors": {"boiler": {"max": 100}}, "deadLetters": {"intervalMillis": 2000}}"""));
    pipeline.flushDeadLetters();
    assertThat(deadLetterBodies()).hasSize(1);
    assertThat(deadLetterBodies().get(0).get("count").asInt()).isEqualTo(3);
    assertThat(deadLetterBodies().get(0).get("intervalEnd").asText()).isEqualTo(T0.plusSeconds(2).toString());

    pipeline.accept("plc", Reading.of("boiler", clock.instant(), 600.0));
    clock.advance(Duration.ofMillis(500));
    pipeline.accept("plc", Reading.of("boiler", clock.instant(), 601.0));
    clock.advance(Duration.ofMillis(300));
    pipeline.flushDeadLetters();
    assertThat(deadLetterBodies()).as("the second interval is still open").hasSize(1);

    pipeline.close();
    assertThat(deadLetterBodies()).hasSize(2);
    JsonNode atStop = deadLetterBodies().get(1);
    assertThat(atStop.get("count").asInt()).isEqualTo(2);
    assertThat(atStop.get("intervalStart").asText()).isEqualTo(T0.plusSeconds(3).toString());
    assertThat(atStop.get("intervalEnd").asText()).as("cut short at the stop").isEqualTo(clock.instant().toString());
    assertThat(atStop.at("/lastExample/value").asDouble()).isEqualTo(601.0);
  }

  @Test
  void theReadmeExampleHasTheFieldsOfARealMessage() throws Exception {
    SensorConfig kilonewtons = SensorConfig.of(null, "kN", null, 2000.0, null, null, null, null, null, null, null,
        null, null, null);
    SensorChannel channel = new SensorChannel("ramForce", kilonewtons, sent::add, deadLetters, metrics, "m");
    for (int i = 0; i < 600; i++) {
      Instant time = T0.plusMillis(100L * i);
      channel.accept("press", new Reading("ramForce", time, 2_450_000.0 + i, null, Map.of("opcuaStatus", "Good")),
          time);
    }
    deadLetters.flushDue(T0.plus(MINUTE));
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("### Dead letters");
    int start = readme.indexOf("```json", section) + "```json".length();
    JsonNode example = new ObjectMapper().readTree(readme.substring(start, readme.indexOf("```", start)));
    JsonNode real = deadLetterBodies().get(0);
    assertThat(pointers(example, "")).isEqualTo(pointers(real, ""));
    assertThat(example.get("count")).isEqualTo(real.get("count"));
  }

  private static List<String> pointers(JsonNode node, String at) {
    List<String> all = new ArrayList<>();
    node.fieldNames().forEachRemaining(name -> {
      all.add(at + "/" + name);
      if (node.get(name).isObject()) {
        all.addAll(pointers(node.get(name), at + "/" + name));
      }
    });
    return all;
  }

  private static ResolvedConfig resolve(String json) throws Exception {
    return ResolvedConfig.resolve(new ObjectMapper().readValue(json, IngestionConfig.class),
        SourceRegistry.fromClassPath(), UnknownKeys.REFUSE);
  }
}
