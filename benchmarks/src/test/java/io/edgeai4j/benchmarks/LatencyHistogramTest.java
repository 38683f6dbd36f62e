package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramTest {

  /** 1..100 µs, one each: the p-th percentile is p µs (nearest rank). */
  @ParameterizedTest
  @CsvSource({"1, 1", "50, 50", "90, 90", "99, 99", "99.5, 100", "100, 100"})
  void nearestRankPercentiles(double percent, long micros) {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 100; i >= 1; i--) {
      h.record(i * 1000L + 999);
    }
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentileMicros(percent)).isEqualTo(micros);
  }

  @Test
  void negativeCountsAsZeroAndTheOverflowBucketReadsAsTheLimit() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(Long.MAX_VALUE);
    assertThat(h.percentileMicros(50)).isZero();
    assertThat(h.percentileMicros(100)).isEqualTo(LatencyHistogram.LIMIT_MICROS);
  }

  @Test
  void addMergesAndClearEmpties() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(10_000);
    b.record(30_000);
    b.record(30_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.percentileMicros(34)).isEqualTo(30);
    assertThat(a.percentileMicros(33)).isEqualTo(10);
    a.clear();
    assertThat(a.count()).isZero();
    assertThatThrownBy(() -> a.percentileMicros(50)).isInstanceOf(IllegalStateException.class)
        .hasMessage("no latency recorded");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, 100.5, Double.NaN})
  void refusesPercentsOutsideTheRange(double percent) {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1000);
    assertThatThrownBy(() -> h.percentileMicros(percent)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found");
  }
}
