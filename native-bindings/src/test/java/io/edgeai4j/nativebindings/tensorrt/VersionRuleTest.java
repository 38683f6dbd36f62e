package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionRuleTest {
  @ParameterizedTest(name = "{0} loaded, presets {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      10.3.0.30  | 10.6 | ok
      10.4.0.26  | 10.6 | ok
      10.6.0.26  | 10.6 | ok
      10.16.2.10 | 10.6 | ok
      10.2.0.19  | 10.6 | TensorRT 10.2 loaded (10.2.0.19), older than this build's TensorRT 10.6 headers; the oldest accepted is 10.3 (JetPack 6): install TensorRT 10.6 or newer
      8.5.2.2    | 10.6 | TensorRT 8.5 loaded (8.5.2.2), this build was compiled for TensorRT 10 (-Pjetpack7 builds for 11)
      11.2.1.2   | 10.6 | TensorRT 11.2 loaded (11.2.1.2), this build was compiled for TensorRT 10 (-Pjetpack7 builds for 11)
      11.2.1.2   | 11.2 | ok
      11.4.1.0   | 11.2 | ok
      11.1.0.0   | 11.2 | TensorRT 11.1 loaded (11.1.0.0), older than this build's TensorRT 11.2 headers; no older runtime is accepted for these headers: install TensorRT 11.2 or newer
      10.3.0.30  | 11.2 | TensorRT 10.3 loaded (10.3.0.30), this build was compiled for TensorRT 11 (build without -Pjetpack7 for TensorRT 10)
      10.11.0.0  | 10.12 | TensorRT 10.11 loaded (10.11.0.0), older than this build's TensorRT 10.12 headers; no older runtime is accepted for these headers: install TensorRT 10.12 or newer
      """)
  void theLoadedVersionAgainstThePresets(String loaded, String preset, String expected) {
    assertThat(VersionRule.check(TensorRtVersion.parse(loaded), TensorRtVersion.parse(preset)).orElse("ok"))
        .isEqualTo(expected);
  }
}
