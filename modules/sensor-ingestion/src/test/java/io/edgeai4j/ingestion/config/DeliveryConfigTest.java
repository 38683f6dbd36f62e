package io.edgeai4j.ingestion.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.buffer.FsyncPolicy;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code delivery} section as the twin binds it: the fsync setting and its errors. */
class DeliveryConfigTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{}                                                  | interval 1000 ms",
      "{\"fsync\": \"interval\", \"fsyncIntervalMillis\": 250} | interval 250 ms",
      "{\"fsync\": \"always\"}                               | always",
      "{\"fsync\": \"never\", \"fsyncIntervalMillis\": 5}      | never"})
  void bindsTheFsyncPolicy(String json, String policy) throws Exception {
    DeliveryConfig config = MAPPER.readValue(json, DeliveryConfig.class);

    assertThat(config.fsyncPolicy()).hasToString(policy);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"fsync\": \"sometimes\"}         | fsync must be one of always, interval, never, found 'sometimes'",
      "{\"fsync\": \"ALWAYS\"}            | fsync must be one of always, interval, never, found 'ALWAYS'",
      "{\"fsyncIntervalMillis\": 0}       | fsyncIntervalMillis must be 1 to 3600000, found 0",
      "{\"fsyncIntervalMillis\": 3600001} | fsyncIntervalMillis must be 1 to 3600000, found 3600001"})
  void refusesABadFsyncSettingNamingWhatWasFound(String json, String message) {
    assertThatThrownBy(() -> MAPPER.readValue(json, DeliveryConfig.class)).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ALWAYS, always", "INTERVAL, interval", "NEVER, never"})
  void writesTheTwinSpellingInTheEffectiveConfiguration(DeliveryConfig.Fsync fsync, String twin) {
    DeliveryConfig config = DeliveryConfig.of(null, null, fsync, 2000L);

    assertThat(MAPPER.valueToTree(config).get("fsync").asText()).isEqualTo(twin);
    assertThat(MAPPER.valueToTree(config).has("fsyncPolicy")).isFalse();
    assertThat(config.fsyncPolicy().mode()).isEqualTo(FsyncPolicy.Mode.valueOf(fsync.name()));
    if (fsync == DeliveryConfig.Fsync.INTERVAL) {
      assertThat(config.fsyncPolicy().interval()).isEqualTo(Duration.ofSeconds(2));
    }
  }
}
