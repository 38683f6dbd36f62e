package io.edgeai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.edgeai4j.examples.filter.FilterConfig;
import io.edgeai4j.examples.sensor.SensorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The example modules' configurations bind from desired properties and refuse bad values by name. */
class ExampleConfigTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void absentValuesTakeTheirDefaults() throws Exception {
    assertThat(MAPPER.readValue("{}", SensorConfig.class)).isEqualTo(SensorConfig.DEFAULT);
    assertThat(MAPPER.readValue("{}", FilterConfig.class)).isEqualTo(FilterConfig.DEFAULT);
    SensorConfig sensor = MAPPER.readValue("{\"sendIntervalMillis\": 250, \"messageCount\": 3}", SensorConfig.class);
    assertThat(sensor.sendInterval().toMillis()).isEqualTo(250);
    assertThat(sensor.messageCount()).isEqualTo(3);
    assertThat(MAPPER.readValue("{\"field\": \"a.b_c\", \"threshold\": -4.5}", FilterConfig.class).segments())
        .containsExactly("a", "b_c");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{\"sendIntervalMillis\": 5}            | sendIntervalMillis must be from 10 to 3600000, found 5",
    "{\"sendIntervalMillis\": 3600001}      | sendIntervalMillis must be from 10 to 3600000",
    "{\"messageCount\": -1}                 | messageCount must be 0 (no limit) or more, found -1",
  })
  void sensorRefusesOutOfRangeValues(String json, String message) {
    assertThatThrownBy(() -> MAPPER.readValue(json, SensorConfig.class))
        .isInstanceOf(ValueInstantiationException.class).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{\"field\": \"machine..temperature\"} | field must be a dotted path",
    "{\"field\": \"\"}                      | field must be a dotted path",
  })
  void filterRefusesBadPaths(String json, String message) {
    assertThatThrownBy(() -> MAPPER.readValue(json, FilterConfig.class))
        .isInstanceOf(ValueInstantiationException.class).hasMessageContaining(message);
  }

  @Test
  void unknownKeysAreRefused() {
    assertThatThrownBy(() -> MAPPER.readValue("{\"treshold\": 3}", FilterConfig.class))
        .hasMessageContaining("treshold");
  }
}
