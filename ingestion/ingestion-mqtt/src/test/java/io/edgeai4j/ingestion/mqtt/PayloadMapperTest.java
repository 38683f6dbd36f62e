package io.edgeai4j.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping of payloads to readings, without a broker. */
class PayloadMapperTest {
  private static final Instant ARRIVAL = Instant.parse("2024-05-01T12:00:00Z");
  /** The sample rate the module's configuration gives the sensors whose name starts with "rated". */
  private static final double RATE = 200;

  @ParameterizedTest(name = "{0} at \"{1}\"")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      {"v": 21.5}                         | /v            | Double  | 21.5                  | NULL
      {"v": -3}                           | /v            | Long    | -3                    | NULL
      {"v": 1e2}                          | /v            | Double  | 100.0                 | NULL
      {"v": 12345678901234567890}         | /v            | Double  | 1.2345678901234567E19 | NULL
      {"v": NaN}                          | /v            | Double  | NaN                   | NULL
      {"v": true}                         | /v            | Boolean | true                  | NULL
      {"v": "on"}                         | /v            | String  | on                    | NULL
      {"v": "21.5"}                       | /v            | String  | 21.5                  | NULL
      {"data": [{"value": 3.5}, {"value": 4}] } | /data/1/value | Long | 4                 | NULL
      {"a/b": {"c~d": 7}}                 | /a~1b/c~0d    | Long    | 7                     | NULL
      21.5                                | ''            | Double  | 21.5                  | NULL
      {"v": null}                         | /v            | NULL    | NULL                  | null at /v
      {"w": 1}                            | /v            | NULL    | NULL                  | no value at /v
      {"data": []}                        | /data/0/value | NULL    | NULL                  | no value at /data/0/value
      {"v": {"a": 1}}                     | /v            | NULL    | NULL                  | found an object at /v, expected a number, boolean or string
      {"v": [1, 2]}                       | /v            | NULL    | NULL                  | an array of 2 samples at /v needs a sample rate to become a block; set sensors.x.sampleRateHz in the module twin
      {"v": 1                             | /v            | NULL    | NULL                  | payload is not JSON: Unexpected end-of-input
      {"v": 1} {"v": 2}                   | /v            | NULL    | NULL                  | payload is not JSON: Trailing token
      <v>1</v>                            | /v            | NULL    | NULL                  | payload is not JSON: Unexpected character ('<'
      ''                                  | /v            | NULL    | NULL                  | payload is not JSON: the payload is empty
      """)
  void aValueIsPassedOnWithItsJsonTypeOrAsNullWithTheReason(String payload, String path, String expectedType,
      String expectedValue, String expectedError) {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "fields": {"x": {"path": "%s"}}}}""".formatted(path));

    List<Reading> readings = mapper.map("dev/1", bytes(payload), ARRIVAL, false).readings();

    assertThat(readings).singleElement().satisfies(reading -> {
      assertThat(reading.sensor()).isEqualTo("x");
      assertThat(reading.timestamp()).isEqualTo(ARRIVAL);
      assertThat(reading.properties()).containsEntry(PayloadMapper.TOPIC, "dev/1");
      if (expectedType == null) {
        assertThat(reading.value()).isNull();
      } else {
        assertThat(reading.value().getClass().getSimpleName()).isEqualTo(expectedType);
        assertThat(reading.value().toString()).isEqualTo(expectedValue);
      }
      if (expectedError == null) {
        assertThat(reading.properties()).doesNotContainKey(PayloadMapper.ERROR);
      } else {
        assertThat(reading.properties().get(PayloadMapper.ERROR)).startsWith(expectedError);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      {"v": [1.5, -2, 3e2]}                 | 1.5, -2.0, 300.0          | NULL
      {"v": [12345678901234567890, 0.1]}    | 1.2345678901234567E19, 0.1 | NULL
      {"v": [1, NaN, -Infinity]}            | 1.0, NaN, -Infinity       | NULL
      {"v": [7]}                            | 7.0                       | NULL
      {"v": []}                             | NULL | an empty array at /v; a block needs at least one sample
      {"v": [1, null, 3]}                   | NULL | element 1 of the array of 3 at /v is null; a block needs every sample
      {"v": [1, "2.5"]}                     | NULL | element 1 of the array of 2 at /v is a string "2.5", expected a number (strings are not converted)
      {"v": [true, 1]}                      | NULL | element 0 of the array of 2 at /v is a boolean, expected a number
      {"v": [[1, 2], [3, 4]]}               | NULL | element 0 of the array of 2 at /v is an array, expected a number (a block is one-dimensional)
      {"v": [{"t": "2024-05-01T10:00:00Z", "v": 1.2}]} | NULL | element 0 of the array of 1 at /v is an object, expected a number (arrays of objects are not read; map each value by its own path)
      """)
  void anArrayOfNumbersBecomesABlockAndAnyOtherArrayANullReadingWithTheReason(String payload, String expectedSamples,
      String expectedError) {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "fields": {"rated": {"path": "/v", "unit": "g"}}}}""");

    PayloadMapper.Mapped mapped = mapper.map("dev/1", bytes(payload), ARRIVAL, false);

    if (expectedError == null) {
      assertThat(mapped.readings()).isEmpty();
      SampleBlock block = mapped.blocks().get(0);
      assertThat(mapped.blocks()).hasSize(1);
      assertThat(java.util.Arrays.stream(block.values()).mapToObj(Double::toString).toList())
          .isEqualTo(List.of(expectedSamples.split(", ")));
      assertThat(block.sensor()).isEqualTo("rated");
      assertThat(block.start()).isEqualTo(ARRIVAL);
      assertThat(block.sampleRateHz()).isEqualTo(RATE);
      assertThat(block.unit()).isEqualTo("g");
      assertThat(block.properties()).containsEntry(PayloadMapper.TOPIC, "dev/1")
          .containsEntry(PayloadMapper.TIMESTAMP_SOURCE, "arrival").doesNotContainKey(PayloadMapper.ERROR);
    } else {
      assertThat(mapped.blocks()).isEmpty();
      assertThat(mapped.readings()).singleElement().satisfies(reading -> {
        assertThat(reading.value()).isNull();
        assertThat(reading.properties()).containsEntry(PayloadMapper.ERROR, expectedError);
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"ts": "2024-05-01T10:00:00.250Z", "v": [1, 2]} | 2024-05-01T10:00:00.250Z | payload
      {"ts": 1714557600250, "v": [1, 2]}              | 2024-05-01T10:00:00.250Z | payload
      {"ts": "yesterday", "v": [1, 2]}                | 2024-05-01T12:00:00Z     | arrival
      """)
  void aBlockStartsAtThePayloadTimestampElseAtTheArrivalTimeAndSaysWhich(String payload, String expectedStart,
      String expectedSource) {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "timestampPath": "/ts", "fields": {"rated": {"path": "/v"}}}}""");

    SampleBlock block = mapper.map("dev/1", bytes(payload), ARRIVAL, false).blocks().get(0);

    assertThat(block.start()).isEqualTo(Instant.parse(expectedStart));
    assertThat(block.timeOf(1)).isEqualTo(Instant.parse(expectedStart).plusMillis(5));
    assertThat(block.properties()).containsEntry(PayloadMapper.TIMESTAMP_SOURCE, expectedSource);
  }

  @Test
  void aPayloadThatIsNotJsonGivesEveryMappedFieldANullReadingNamingWhereParsingFailed() {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "fields": {"a": {"path": "/a", "unit": "V"}, "b": {"path": "/b"}}}}""");

    List<Reading> readings = mapper.map("dev/1", bytes("{\"a\": 1,\n \"b\": x}"), ARRIVAL, false).readings();

    assertThat(readings).extracting(Reading::sensor).containsExactly("a", "b");
    assertThat(readings).allSatisfy(reading -> {
      assertThat(reading.value()).isNull();
      assertThat(reading.properties().get(PayloadMapper.ERROR)).startsWith("payload is not JSON: Unrecognized token 'x'")
          .endsWith("at line 2, column 7");
    });
    assertThat(readings.get(0).unit()).as("a fixed unit is still known").isEqualTo("V");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      {"v": 1, "u": "degC"}  | NULL  | /u   | degC
      {"v": 1, "u": "degC"}  | K     | /u   | degC
      {"v": 1}               | K     | /u   | K
      {"v": 1, "u": 3}       | K     | /u   | K
      {"v": 1, "u": " "}     | NULL  | /u   | NULL
      {"v": 1, "u": "degC"}  | K     | NULL | K
      {"v": 1}               | NULL  | NULL | NULL
      """)
  void theUnitComesFromThePayloadWhenItNamesOneElseFromTheSettings(String payload, String unit, String unitPath,
      String expectedUnit) {
    ObjectNode field = json("{\"path\": \"/v\"}");
    if (unit != null) {
      field.put("unit", unit);
    }
    if (unitPath != null) {
      field.put("unitPath", unitPath);
    }
    PayloadMapper mapper = mapper("{\"t\": {\"topic\": \"dev/1\", \"fields\": {\"x\": " + field + "}}}");

    assertThat(mapper.map("dev/1", bytes(payload), ARRIVAL, false).readings()).singleElement()
        .satisfies(reading -> assertThat(reading.unit()).isEqualTo(expectedUnit));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      {"ts": "2024-05-01T10:00:00.250Z"}      | 2024-05-01T10:00:00.250Z    | NULL
      {"ts": "2024-05-01T12:00:00.250+02:00"} | 2024-05-01T10:00:00.250Z    | NULL
      {"ts": 1714557600250}                   | 2024-05-01T10:00:00.250Z    | NULL
      {"ts": 1714557600250.5}                 | 2024-05-01T10:00:00.250500Z | NULL
      {"ts": 0}                               | 1970-01-01T00:00:00Z        | NULL
      {}                                      | 2024-05-01T12:00:00Z        | no timestamp at /ts
      {"ts": "yesterday"}                     | 2024-05-01T12:00:00Z        | cannot read the timestamp "yesterday" at /ts
      {"ts": true}                            | 2024-05-01T12:00:00Z        | found a boolean true at /ts
      {"ts": 1e300}                           | 2024-05-01T12:00:00Z        | cannot read the timestamp 1.0E300 at /ts
      """)
  void theTimestampIsIsoOrEpochMillisElseTheArrivalTimeWithTheReason(String payload, String expectedTimestamp,
      String expectedError) {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "timestampPath": "/ts", "fields": {"x": {"path": "/v"}}}}""");

    assertThat(mapper.map("dev/1", bytes(payload), ARRIVAL, false).readings()).singleElement().satisfies(reading -> {
      assertThat(reading.timestamp()).isEqualTo(Instant.parse(expectedTimestamp));
      if (expectedError == null) {
        assertThat(reading.properties()).doesNotContainKey(PayloadMapper.TIMESTAMP_ERROR);
      } else {
        assertThat(reading.properties().get(PayloadMapper.TIMESTAMP_ERROR)).startsWith(expectedError)
            .endsWith("the reading carries its arrival time");
      }
      assertThat(reading.properties().get(PayloadMapper.ERROR)).as("the value is still read").isEqualTo("no value at /v");
    });
  }

  /** {@code plant/+/#} matches {@code plant/line2} too: {@code #} also matches the parent level (MQTT 3.1.1, 4.7.1.2). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sensors/press7/telemetry   | press7-temp, press7-humidity
      sensors/oven/telemetry     | oven-temp, oven-humidity
      plant/line1/oven/temp      | line1-oven
      plant/line2                | line2-oven
      plant                      | ''
      sensors/press7/status      | ''
      """)
  void wildcardTopicsFillPlaceholdersFromTopicLevels(String topic, String expectedSensors) {
    PayloadMapper mapper = mapper("""
        {"fleet": {"topic": "sensors/+/telemetry",
                   "fields": {"{topic[1]}-temp": {"path": "/t"}, "{topic[1]}-humidity": {"path": "/h"}}},
         "plant": {"topic": "plant/+/#", "fields": {"{topic[1]}-oven": {"path": ""}}}}""");

    List<String> sensors = mapper.map(topic, bytes("{\"t\": 1, \"h\": 2}"), ARRIVAL, false).readings().stream().map(Reading::sensor)
        .toList();

    assertThat(String.join(", ", sensors)).isEqualTo(expectedSensors);
    assertThat(mapper.matches(topic)).isEqualTo(!expectedSensors.isEmpty());
  }

  @Test
  void aRetainedMessageIsMarkedSoThatAStaleLastKnownValueCanBeToldApart() {
    PayloadMapper mapper = mapper("""
        {"t": {"topic": "dev/1", "fields": {"x": {"path": "/v"}}}}""");

    assertThat(mapper.map("dev/1", bytes("{\"v\": 1}"), ARRIVAL, true).readings().get(0).properties())
        .containsEntry(PayloadMapper.RETAINED, "true");
    assertThat(mapper.map("dev/1", bytes("{\"v\": 1}"), ARRIVAL, false).readings().get(0).properties())
        .doesNotContainKey(PayloadMapper.RETAINED);
  }

  @Test
  void aTopicMatchedByTwoSubscriptionsFeedsTheFieldsOfBoth() {
    PayloadMapper mapper = mapper("""
        {"one": {"topic": "dev/+", "fields": {"a": {"path": "/a"}}},
         "all": {"topic": "#", "fields": {"b": {"path": "/b"}}}}""");

    assertThat(mapper.map("dev/1", bytes("{\"a\": 1, \"b\": true}"), ARRIVAL, false).readings())
        .extracting(Reading::sensor, Reading::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L), org.assertj.core.groups.Tuple.tuple("b", true));
  }

  private static PayloadMapper mapper(String subscriptions) {
    try {
      ObjectNode settings = json("{\"brokerUri\": \"tcp://127.0.0.1:1883\"}");
      settings.set("subscriptions", json(subscriptions));
      return new PayloadMapper(new MqttSourceProvider().parse(settings),
          sensor -> sensor.startsWith("rated") ? OptionalDouble.of(RATE) : OptionalDouble.empty());
    } catch (Exception e) {
      throw new IllegalArgumentException(subscriptions, e);
    }
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
