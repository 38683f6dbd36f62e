package io.edgeai4j.examples.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sensor's configuration binds from desired properties and refuses bad values by name. */
class SensorConfigTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void absentValuesTakeTheirDefaults() throws Exception {
    assertThat(MAPPER.readValue("{}", SensorConfig.class)).isEqualTo(SensorConfig.DEFAULT);
    SensorConfig sensor = MAPPER.readValue("{\"sendIntervalMillis\": 250, \"messageCount\": 3}", SensorConfig.class);
    assertThat(sensor.sendInterval().toMillis()).isEqualTo(250);
    assertThat(sensor.messageCount()).isEqualTo(3);
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
}
