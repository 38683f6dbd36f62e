package io.edgeai4j.nativebindings.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyStatsTest {

  /** One warm-up query (compute starts at 2 ms, before the 10 ms warm-up ends), then four timed queries. */
  static final List<InferenceTrace> TRACE = List.of(
      new InferenceTrace(0, 1, 1, 2, 2, 5, 5, 6),
      new InferenceTrace(10, 10.5, 10.5, 11, 11, 13, 13, 13.5),
      new InferenceTrace(13.5, 14, 14, 14.5, 14.5, 17.5, 17.5, 18),
      new InferenceTrace(18, 18.5, 18.5, 19, 19, 23, 23, 23.5),
      new InferenceTrace(23.5, 24, 24, 24.5, 24.5, 25.5, 25.5, 26));

  /**
   * By hand: walltime = last D2H end 26 - first timed H2D start 10.5 = 15.5 ms; throughput = batch x 4 / 15.5 ms;
   * latencies 3 4 5 2 (min 2, mean 3.5, median 3.5, p90 = p95 = p99 = 5: 4 values exclude 0); GPU compute 2 3 4 1
   * (median 2.5, total 10 ms).
   */
  @ParameterizedTest(name = "batch {0}: {1} qps")
  @CsvSource({"1, 258.06451612903226", "8, 2064.516129032258"})
  void summaryOfAHandBuiltTrace(int batch, double qps) {
    LatencyStats s = LatencyStats.of(TRACE, Duration.ofMillis(10), batch);

    assertThat(s.queries()).isEqualTo(4);
    assertThat(s.warmupQueries()).isEqualTo(1);
    assertThat(s.walltimeMs()).isEqualTo(15.5);
    assertThat(s.throughputQps()).isCloseTo(qps, within(1e-9));
    assertThat(s.latency()).isEqualTo(new Distribution(2, 3.5, 3.5, 5, 5, 5, 5, s.latency()
        .coefficientOfVariationPercent()));
    assertThat(s.endToEnd().mean()).isEqualTo(3.5);
    assertThat(s.gpuCompute().median()).isEqualTo(2.5);
    assertThat(s.gpuCompute().min()).isEqualTo(1);
    assertThat(s.gpuCompute().max()).isEqualTo(4);
    assertThat(s.enqueue().median()).isEqualTo(0.5);
    assertThat(s.h2d().mean()).isEqualTo(0.5);
    assertThat(s.d2h().p99()).isEqualTo(0.5);
    assertThat(s.totalGpuComputeMs()).isEqualTo(10);
  }

  @Test
  void unstableGpuComputeIsWarnedAsTrtexecDoes() {
    // compute 2 3 4 1: population sd sqrt(1.25) = 1.118 over mean 2.5 = 44.7 % > 1 %; enqueue 0.5 <= 0.8 x 2.5.
    LatencyStats s = LatencyStats.of(TRACE, Duration.ofMillis(10), 1);

    assertThat(s.warnings()).singleElement().asString()
        .startsWith("GPU compute time is unstable, with coefficient of variance = 44.72%");
  }

  @Test
  void enqueueAndTransferBoundRunsAreWarned() {
    // enqueue 2 > 0.8 x compute 1; H2D 1 >= 1; D2H 1 >= 1; one value: cv 0.
    LatencyStats s = LatencyStats.of(List.of(new InferenceTrace(0, 2, 2, 3, 3, 4, 4, 5)), Duration.ZERO, 1);

    assertThat(s.warnings()).hasSize(3);
    assertThat(s.warnings().get(0)).startsWith("Throughput may be bound by Enqueue Time");
    assertThat(s.warnings().get(1)).startsWith("Throughput may be bound by host-to-device transfers");
    assertThat(s.warnings().get(2)).startsWith("Throughput may be bound by device-to-host transfers");
    assertThat(s.throughputQps()).isCloseTo(1000.0 / 3, within(1e-9));
  }

  @Test
  void formatIsTrtexecsSummary() {
    String text = LatencyStats.of(TRACE, Duration.ofMillis(10), 1).format();

    assertThat(text).startsWith("=== Performance summary ===\nThroughput: 258.0645 qps\n")
        .contains("Latency: min = 2.0000 ms, max = 5.0000 ms, mean = 3.5000 ms, median = 3.5000 ms,"
            + " percentile(90%) = 5.0000 ms, percentile(95%) = 5.0000 ms, percentile(99%) = 5.0000 ms")
        .contains("GPU Compute Time: min = 1.0000 ms")
        .contains("Total Host Walltime: 0.015500 s")
        .contains("Total GPU Compute Time: 0.010000 s")
        .contains("Timed queries: 4 (warm-up left out: 1), batch size 1");
  }

  @Test
  void badInputNamesWhatWasFound() {
    assertThatThrownBy(() -> LatencyStats.of(List.of(), Duration.ZERO, 1))
        .hasMessage("no queries recorded: expected at least one trace");
    assertThatThrownBy(() -> LatencyStats.of(TRACE, Duration.ofMillis(100), 1))
        .hasMessageContaining("all 5 queries fall in the warm-up of 100.0 ms (the last compute starts at 24.5 ms)");
    assertThatThrownBy(() -> LatencyStats.of(TRACE, Duration.ZERO, 0)).hasMessageContaining("batch size 0");
    assertThatThrownBy(() -> new InferenceTrace(0, 1, 2, 1, 2, 3, 3, 4))
        .hasMessage("h2d ends before it starts: start 2.0 ms, end 1.0 ms; expected end >= start");
  }
}
