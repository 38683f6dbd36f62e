package io.edgeai4j.examples.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The filter's configuration binds from desired properties and refuses bad values by name. */
class FilterConfigTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void absentValuesTakeTheirDefaults() throws Exception {
    assertThat(MAPPER.readValue("{}", FilterConfig.class)).isEqualTo(FilterConfig.DEFAULT);
    assertThat(MAPPER.readValue("{\"field\": \"a.b_c\", \"threshold\": -4.5}", FilterConfig.class).segments())
        .containsExactly("a", "b_c");
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

  /** Under a strict binding ({@code UnknownKeys.REFUSE}); the module binds with the default, which warns. */
  @Test
  void unknownKeysAreRefused() {
    assertThatThrownBy(() -> MAPPER.readValue("{\"treshold\": 3}", FilterConfig.class))
        .hasMessageContaining("treshold");
  }
}
