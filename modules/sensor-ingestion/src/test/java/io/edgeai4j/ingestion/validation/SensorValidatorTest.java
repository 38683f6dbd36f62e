package io.edgeai4j.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.ingestion.config.SensorConfig;
import io.edgeai4j.ingestion.config.ValueType;
import io.edgeai4j.ingestion.config.WindowConfig;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SensorValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final SensorConfig TEMPERATURE = SensorConfig.of(null, "degC", -40.0, 150.0, 3, 5000L, 60_000L,
      null, null, null, null, null, null, null);
  private static final SensorConfig SWITCH = SensorConfig.of(ValueType.BOOLEAN, null, null, null, null, null, null,
      null, null, null, null, null, null, null);

  static Stream<Arguments> readings() {
    return Stream.of(
        Arguments.of("valid double", TEMPERATURE, 21.5, "degC", NOW, null, null),
        Arguments.of("valid long", TEMPERATURE, 21L, null, NOW, null, null),
        Arguments.of("no value", TEMPERATURE, null, null, NOW, Check.MISSING, "no value"),
        Arguments.of("text", TEMPERATURE, "hot", null, NOW, Check.TYPE, "expected a number, found string 'hot'"),
        Arguments.of("boolean for number", TEMPERATURE, true, null, NOW, Check.TYPE, "expected a number, found boolean true"),
        Arguments.of("wrong unit", TEMPERATURE, 70.0, "degF", NOW, Check.UNIT, "unit 'degF', expected 'degC'"),
        Arguments.of("NaN", TEMPERATURE, Double.NaN, null, NOW, Check.NOT_FINITE, "value is NaN"),
        Arguments.of("infinite", TEMPERATURE, Double.POSITIVE_INFINITY, null, NOW, Check.NOT_FINITE, "value is Infinity"),
        Arguments.of("below min", TEMPERATURE, -41.0, null, NOW, Check.RANGE, "value -41.0 is below min -40.0"),
        Arguments.of("above max", TEMPERATURE, 812.3, null, NOW, Check.RANGE, "value 812.3 is above max 150.0"),
        Arguments.of("clock not set", TEMPERATURE, 20.0, null, Instant.parse("1970-01-01T00:00:05Z"), Check.TIMESTAMP,
            "the device clock is not set"),
        Arguments.of("future", TEMPERATURE, 20.0, null, NOW.plusSeconds(6), Check.TIMESTAMP,
            "is more than 5000 ms ahead of the module clock"),
        Arguments.of("too old", TEMPERATURE, 20.0, null, NOW.minusSeconds(61), Check.TIMESTAMP,
            "is more than 60000 ms behind the module clock"),
        Arguments.of("boolean valid", SWITCH, false, null, NOW, null, null),
        Arguments.of("number for boolean", SWITCH, 1L, null, NOW, Check.TYPE, "expected a boolean, found long 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readings")
  void checksOneReading(String name, SensorConfig config, Object value, String unit, Instant timestamp,
      Check check, String reason) {
    Rejection rejection = new SensorValidator(config).check(new Reading("t", timestamp, value, unit, Map.of()), NOW);
    if (check == null) {
      assertThat(rejection).isNull();
    } else {
      assertThat(rejection.check()).isEqualTo(check);
      assertThat(rejection.reason()).contains(reason);
    }
  }

  @Test
  void timestampsMustIncreasePerSensor() {
    SensorValidator validator = new SensorValidator(TEMPERATURE);
    assertThat(validator.check(Reading.of("t", NOW.minusSeconds(2), 20), NOW)).isNull();
    Rejection same = validator.check(Reading.of("t", NOW.minusSeconds(2), 21), NOW);
    assertThat(same.check()).isEqualTo(Check.TIMESTAMP);
    assertThat(same.reason()).contains("is not after the sensor's previous one");
    // A rejected reading does not move the sensor's clock.
    assertThat(validator.check(Reading.of("t", NOW.minusSeconds(1), 21), NOW)).isNull();
  }

  @Test
  void stuckValuesAreRejectedAfterStuckCountInARow() {
    SensorValidator validator = new SensorValidator(TEMPERATURE);
    Instant t = NOW.minusSeconds(30);
    assertThat(validator.check(Reading.of("t", t, 20.0), NOW)).isNull();
    assertThat(validator.check(Reading.of("t", t.plusSeconds(1), 20.0), NOW)).isNull();
    assertThat(validator.check(Reading.of("t", t.plusSeconds(2), 20.0), NOW)).isNull();
    Rejection stuck = validator.check(Reading.of("t", t.plusSeconds(3), 20.0), NOW);
    assertThat(stuck.check()).isEqualTo(Check.STUCK);
    assertThat(stuck.reason()).isEqualTo("the value 20.0 repeated 4 times in a row (stuckCount 3)");
    assertThat(validator.check(Reading.of("t", t.plusSeconds(4), 20.5), NOW)).isNull();
  }

  @Test
  void aBlockFailsAsAWholeNamingTheFirstBadSample() {
    SensorConfig vibration = SensorConfig.of(null, "m/s^2", -100.0, 100.0, null, null, null,
        WindowConfig.of(4, 2), null, null, null, null, null, null);
    SensorValidator validator = new SensorValidator(vibration);
    double[] values = {1, 2, 300, 4, -500, Double.NaN};
    Rejection nan = validator.check(new SampleBlock("v", NOW, 1000, values, null, Map.of()), NOW);
    assertThat(nan.check()).isEqualTo(Check.NOT_FINITE);
    assertThat(nan.reason()).isEqualTo("1 of 6 samples are NaN or infinite, first at index 5 (NaN)");
    values[5] = 0;
    Rejection range = validator.check(new SampleBlock("v", NOW, 1000, values, null, Map.of()), NOW);
    assertThat(range.reason()).isEqualTo("2 of 6 samples are outside [-100.0, 100.0], first at index 2 (300.0)");
    Rejection unit = validator.check(new SampleBlock("v", NOW, 1000, new double[] {1}, "g", Map.of()), NOW);
    assertThat(unit.check()).isEqualTo(Check.UNIT);
    assertThat(validator.check(new SampleBlock("v", NOW.minusSeconds(1), 1000, new double[] {1, 2}, null, Map.of()), NOW))
        .isNull();
    Rejection overlap = validator.check(new SampleBlock("v", NOW.minusSeconds(1), 1000, new double[] {1}, null, Map.of()),
        NOW);
    assertThat(overlap.check()).isEqualTo(Check.TIMESTAMP);
  }

  @Test
  void infiniteSamplesAreRejectedEvenWithoutARange() {
    SensorValidator validator = new SensorValidator(SensorConfig.DEFAULT);
    Rejection rejection = validator.check(new SampleBlock("v", NOW, 1000, new double[] {1, Double.NEGATIVE_INFINITY},
        null, Map.of()), NOW);
    assertThat(rejection.check()).isEqualTo(Check.NOT_FINITE);
    assertThat(rejection.reason()).isEqualTo("1 of 2 samples are NaN or infinite, first at index 1 (-Infinity)");
  }

  @Test
  void aBlockStuckAtOneValueIsRejected() {
    SensorConfig vibration = SensorConfig.of(null, null, null, null, 100, null, null, null, null, null, null, null,
        null, null);
    SensorValidator validator = new SensorValidator(vibration);
    Rejection stuck = validator.check(new SampleBlock("v", NOW.minusSeconds(1), 1000, new double[200], null, Map.of()),
        NOW);
    assertThat(stuck.check()).isEqualTo(Check.STUCK);
    assertThat(stuck.reason()).contains("the value 0.0 repeated 200 times");
  }
}
