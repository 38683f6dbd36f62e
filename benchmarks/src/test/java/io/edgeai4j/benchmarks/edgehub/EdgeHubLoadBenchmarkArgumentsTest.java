package io.edgeai4j.benchmarks.edgehub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeHubLoadBenchmarkArgumentsTest {
  @Test
  void defaultsAreFourPairsOfTwoThousandMessagesInEveryMode() {
    EdgeHubLoadBenchmark.Arguments arguments = EdgeHubLoadBenchmark.Arguments.parse();

    assertThat(arguments.modes()).containsExactly(LoadMode.values());
    assertThat(arguments.settings().pairs()).isEqualTo(4);
    assertThat(arguments.settings().messages()).isEqualTo(2000);
    assertThat(arguments.runs()).isEqualTo(3);
    assertThat(arguments.warmup()).isEqualTo(1);
    assertThat(arguments.settings().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(arguments.settings().sdkReceiveIntervalMillis()).as("the SDK's default").isEqualTo(10);
  }

  @Test
  void optionsAreRead() {
    EdgeHubLoadBenchmark.Arguments arguments = EdgeHubLoadBenchmark.Arguments.parse("--mode", "sdk-fast,edgehub-mqtt",
        "--pairs", "2", "--messages", "50", "--payload", "200", "--window", "8", "--sdk-messages-per-interval", "64",
        "--sdk-receive-interval", "2",
        "--runs", "5", "--warmup", "0", "--idle-timeout", "9");

    assertThat(arguments.modes()).containsExactly(LoadMode.SDK_FAST, LoadMode.EDGEHUB_MQTT);
    assertThat(arguments.settings()).isEqualTo(
        new LoadSettings(LoadMode.SDK_FAST, 2, 50, 200, 8, 64, 2, Duration.ofSeconds(9)));
    assertThat(arguments.runs()).isEqualTo(5);
    assertThat(arguments.warmup()).isZero();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--mode|mqtt|Unknown load mode 'mqtt'; expected one of [sdk, sdk-fast, azure-iot-edge, edgehub-mqtt, edgehub-mqtt-async]",
      "--pairs|0|pairs must be in [1, 64], found 0",
      "--pairs|many|--pairs takes a whole number, found 'many'",
      "--messages|0|messages must be in [1, 2147483647], found 0",
      "--payload|8|payloadBytes must be in [32, 65536], found 8",
      "--window|0|window must be in [1, 65000], found 0",
      "--sdk-receive-interval|0|sdkReceiveIntervalMillis must be in [1, 10000], found 0",
      "--runs|0|--runs must be at least 1, found 0",
      "--warmup|-1|--warmup must not be negative, found -1",
      "--idle-timeout|0|idleTimeout must be positive, found PT0S",
      "--speed|9|Unknown option '--speed'",
  })
  void badValuesAreRefusedNamingWhatWasFound(String option, String value, String message) {
    assertThatThrownBy(() -> EdgeHubLoadBenchmark.Arguments.parse(option, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void anOptionWithoutItsValueIsRefused() {
    assertThatThrownBy(() -> EdgeHubLoadBenchmark.Arguments.parse("--pairs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--pairs needs a value");
  }

  @Test
  void meanAndSampleStandardDeviation() {
    LoadSettings settings = new LoadSettings(LoadMode.SDK, 1, 10, 64, 1, 1, 10, Duration.ofSeconds(1));
    var results = java.util.List.of(
        new LoadResult(settings, 10, 10, 0, 0, 1.0, 1000, 2000, 3000, 4000),
        new LoadResult(settings, 10, 10, 0, 0, 0.5, 3000, 2000, 3000, 4000));

    assertThat(EdgeHubLoadBenchmark.meanSd(results, LoadResult::throughput, 1, "%.1f")).isEqualTo("15.0 ± 7.1");
    assertThat(EdgeHubLoadBenchmark.meanSd(results, r -> r.p50Micros(), 1000, "%.1f")).isEqualTo("2.0 ± 1.4");
  }
}
