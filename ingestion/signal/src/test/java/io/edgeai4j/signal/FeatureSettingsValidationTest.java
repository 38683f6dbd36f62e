package io.edgeai4j.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid bands and extractor settings are refused with a message that names the value. */
class FeatureSettingsValidationTest {

  @ParameterizedTest(name = "''{0}'' [{1}, {2})")
  @CsvSource(delimiter = '|', value = {
      "''        | 0    | 10       | band name must not be empty",
      "a.b       | 0    | 10       | band name 'a.b' is not a twin key: it must not contain '.', '$', space or control characters, found '.' at index 1",
      "$low      | 0    | 10       | found '$' at index 0",
      "low band  | 0    | 10       | found ' ' at index 3",
      "low       | -1   | 10       | band 'low': lowHz must be a finite number >= 0, found -1.0",
      "low       | NaN  | 10       | band 'low': lowHz must be a finite number >= 0, found NaN",
      "low       | 10   | 10       | band 'low': highHz must be a finite number above lowHz 10.0, found 10.0",
      "low       | 10   | 5        | band 'low': highHz must be a finite number above lowHz 10.0, found 5.0",
      "low       | 0    | Infinity | band 'low': highHz must be a finite number above lowHz 0.0, found Infinity",
      "low       | 0    | NaN      | band 'low': highHz must be a finite number above lowHz 0.0, found NaN",
  })
  void rejectsAnInvalidBand(String name, double lowHz, double highHz, String message) {
    assertThatThrownBy(() -> new FrequencyBand(name, lowHz, highHz))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void rejectsControlCharactersAndOverlongNames() {
    assertThatThrownBy(() -> new FrequencyBand("a\u0001b", 0, 1)).hasMessageContaining("found U+0001 at index 1");
    assertThatThrownBy(() -> new FrequencyBand("x".repeat(1025), 0, 1))
        .hasMessage("band name must be at most 1024 bytes of UTF-8, found 1025");
    assertThat(new FrequencyBand("bearing_outer-race", 0, 1).name()).isEqualTo("bearing_outer-race");
  }

  @ParameterizedTest(name = "{0} bands at {1} Hz")
  @CsvSource(delimiter = '|', value = {
      "0 | 25000    | band count must be at least 1, found 0",
      "8 | 0        | sampleRateHz must be a positive finite number for equal-width bands, found 0.0",
      "8 | NaN      | sampleRateHz must be a positive finite number for equal-width bands, found NaN",
      "8 | Infinity | sampleRateHz must be a positive finite number for equal-width bands, found Infinity",
  })
  void rejectsInvalidEqualWidthBands(int count, double sampleRateHz, String message) {
    assertThatThrownBy(() -> FrequencyBand.equalWidth(count, sampleRateHz)).hasMessage(message);
  }

  @Test
  void equalWidthBandsTileZeroToNyquist() {
    List<FrequencyBand> bands = FrequencyBand.equalWidth(8, 25_000);
    assertThat(bands).hasSize(8);
    assertThat(bands.get(0)).isEqualTo(new FrequencyBand("band0", 0, 1562.5));
    assertThat(bands.get(7)).isEqualTo(new FrequencyBand("band7", 10937.5, 12500));
    for (int i = 1; i < bands.size(); i++) {
      assertThat(bands.get(i).lowHz()).isEqualTo(bands.get(i - 1).highHz());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "window of 1     | 1    | 25000    | 0 | 12500 | window size must be in [2, 1048576] samples, found 1",
      "negative rate   | 1024 | -1       | 0 | 0     | sampleRateHz must be a positive finite number, or NaN or 0 for unknown, found -1.0",
      "infinite rate   | 1024 | Infinity | 0 | 0     | sampleRateHz must be a positive finite number, or NaN or 0 for unknown, found Infinity",
      "bands, NaN rate | 1024 | NaN      | 0 | 100   | frequency bands need a known sample rate: found 1 bands [b] and sampleRateHz NaN",
      "bands, no rate  | 1024 | 0        | 0 | 100   | frequency bands need a known sample rate: found 1 bands [b] and sampleRateHz 0.0",
      "above Nyquist   | 1024 | 25000    | 0 | 12501 | bands[0] 'b': highHz 12501.0 is above the Nyquist frequency 12500.0 Hz (half of sampleRateHz 25000.0)",
      "no bin in band  | 1024 | 25000    | 30| 40    | bands[0] 'b': [30.0, 40.0) Hz holds no FFT bin; bins are 24.4140625 Hz apart for 1024 samples at 25000.0 Hz, so widen the band or the window",
  })
  void rejectsInvalidExtractorSettings(String what, int size, double sampleRateHz, double lowHz, double highHz,
      String message) {
    List<FrequencyBand> bands = highHz > 0 ? List.of(new FrequencyBand("b", lowHz, highHz)) : List.of();
    assertThatThrownBy(() -> new FeatureExtractor(size, sampleRateHz, bands))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsDuplicateBandNamesAndWindowsOfAnotherSize() {
    List<FrequencyBand> bands = List.of(new FrequencyBand("b", 0, 100), new FrequencyBand("b", 100, 200));
    assertThatThrownBy(() -> new FeatureExtractor(1024, 25_000, bands))
        .hasMessage("bands[1] 'b': the name is used by an earlier band; band names must be distinct");

    FeatureExtractor extractor = new FeatureExtractor(1024, Double.NaN, List.of());
    assertThatThrownBy(() -> extractor.extract(new double[1000]))
        .hasMessage("window must hold 1024 samples, found 1000");
  }

  @Test
  void anUnknownRateMeansNoBands() {
    FeatureExtractor extractor = new FeatureExtractor(64, 0, List.of());
    assertThat(extractor.sampleRateHz()).isNaN();
    assertThat(extractor.binWidthHz()).isNaN();
    assertThat(extractor.extract(new double[64]).bandEnergies()).isEmpty();
  }
}
