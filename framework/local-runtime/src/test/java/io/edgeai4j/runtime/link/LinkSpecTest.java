package io.edgeai4j.runtime.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkSpecTest {
  @ParameterizedTest
  @CsvSource({
      "10Mbit/20ms,     10000000,   20000000,    0,    10Mbit/20ms",
      "1Gbit/1ms,       1000000000, 1000000,     0,    1Gbit/1ms",
      "1Mbit/50ms,      1000000,    50000000,    0,    1Mbit/50ms",
      "1mbps/50ms/2%,   1000000,    50000000,    0.02, 1Mbit/50ms/2%",
      "2.5Mbit/0.5ms,   2500000,    500000,      0,    2500kbit/500us",
      "56kbit/1s/10%,   56000,      1000000000,  0.1,  56kbit/1000ms/10%",
      "9600bit/250us,   9600,       250000,      0,    9600bit/250us",
  })
  void readsBandwidthLatencyAndLoss(String text, long bits, long latencyNanos, double loss, String printed) {
    LinkSpec link = LinkSpec.parse(text);
    assertThat(link.bitsPerSecond()).isEqualTo(bits);
    assertThat(link.latency()).isEqualTo(Duration.ofNanos(latencyNanos));
    assertThat(link.lossRate()).isEqualTo(loss);
    assertThat(link.toString()).isEqualTo(printed);
    assertThat(LinkSpec.parse(printed)).isEqualTo(link);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10Mbit|link '10Mbit': expected BANDWIDTH/LATENCY[/LOSS%]",
      "10MB/20ms|unknown bandwidth unit 'MB', expected bit, kbit, Mbit or Gbit",
      "10Mbit/20min|unknown latency unit 'min', expected us, ms or s",
      "0Mbit/20ms|bandwidth must be at least 1 bit/s",
      "10Mbit/20ms/100%|loss must be 0% to 99%, found 100%",
      "-1Mbit/20ms|expected BANDWIDTH/LATENCY",
  })
  void refusesWhatItCannotRead(String text, String message) {
    assertThatThrownBy(() -> LinkSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void transferTimeIsSerializationPlusLatency() {
    LinkSpec link = LinkSpec.parse("10Mbit/20ms");
    assertThat(link.serializationTime(125_000)).isEqualTo(Duration.ofMillis(100));
    assertThat(link.transferTime(125_000)).isEqualTo(Duration.ofMillis(120));
    assertThat(link.transferTime(0)).isEqualTo(Duration.ofMillis(20));
  }
}
