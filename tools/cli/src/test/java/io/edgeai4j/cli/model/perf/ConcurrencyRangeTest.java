package io.edgeai4j.cli.model.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --concurrency start:end[:step]}: doubling without a step, linear with one, perf_analyzer's syntax. */
class ConcurrencyRangeTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1:32    | 1 2 4 8 16 32",
      "1:4     | 1 2 4",
      "3:20    | 3 6 12 20",
      "1:32:8  | 1 9 17 25",
      "2:6:2   | 2 4 6",
      "5       | 5",
      "7:7     | 7",
      "1:1024  | 1 2 4 8 16 32 64 128 256 512 1024"})
  void levels(String text, String expected) {
    assertThat(ConcurrencyRange.parse(text).levels())
        .containsExactlyElementsOf(Arrays.stream(expected.split(" ")).map(Integer::valueOf).toList());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "4:2      | '4:2': expected 1 <= start <= end <= 1024, found start 4 and end 2",
      "0:8      | '0:8': expected 1 <= start <= end <= 1024, found start 0 and end 8",
      "1:2000   | '1:2000': expected 1 <= start <= end <= 1024, found start 1 and end 2000",
      "1:8:0    | '1:8:0': the step must be at least 1, found 0",
      "a:b      | 'a:b' is not a concurrency range; expected start:end[:step] of integers, e.g. 1:32 (doubling) or"
          + " 1:32:4 (linear)",
      "1:2:3:4  | '1:2:3:4' is not a concurrency range; expected start:end[:step] of integers, e.g. 1:32 (doubling)"
          + " or 1:32:4 (linear)"})
  void badRangesNameWhatWasFound(String text, String message) {
    assertThatThrownBy(() -> ConcurrencyRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
