package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.serving.InferenceResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark's body outside JMH: with 8 requests outstanding and batching on, requests share runs; with it
 * off, none does; every measured request is in the latency histogram; tear-down waits for the outstanding ones and
 * is idempotent.
 */
class OutstandingRequestsBenchmarkTest {

  @ParameterizedTest
  @CsvSource({"on, 16x4, true, 1", "triton, 16x4, true, 1", "off, 16x4, false, 1", "on, 16x8x8x4, true, 1",
      "off, 16x8x8x4, false, 1", "off, 16x4, false, 2"})
  void requestsShareRunsOnlyWithBatchingOn(String batching, String size, boolean shared, int instances)
      throws Exception {
    OutstandingRequestsBenchmark benchmark = new OutstandingRequestsBenchmark();
    benchmark.concurrency = 8;
    benchmark.instances = instances;
    benchmark.batching = batching;
    benchmark.size = size;
    benchmark.setUp();
    Path repository = benchmark.repository();
    int out = InferenceOverheadBenchmark.parseSize(size).out();
    try {
      benchmark.startIteration(iteration(IterationType.MEASUREMENT));
      int largest = 0;
      for (int i = 0; i < 400; i++) {
        InferenceResult r = benchmark.request();
        assertThat(r.outputs().get(BenchmarkModels.OUTPUT).shape()).containsExactly(1, out);
        largest = Math.max(largest, r.batchSize());
      }
      benchmark.endIteration();
      assertThat(benchmark.latencies().count()).isEqualTo(400);
      assertThat(benchmark.latencies().percentileMicros(99))
          .isGreaterThanOrEqualTo(benchmark.latencies().percentileMicros(50));
      if (shared) {
        assertThat(largest).as("largest batch with batching on").isGreaterThan(1);
        assertThat(benchmark.meanBatchSize()).isGreaterThan(1);
      } else {
        assertThat(largest).as("largest batch with batching off").isEqualTo(1);
        assertThat(benchmark.meanBatchSize()).isEqualTo(1.0);
      }

      benchmark.startIteration(iteration(IterationType.WARMUP));
      benchmark.request();
      benchmark.endIteration();
      assertThat(benchmark.latencies().count()).as("warm-up requests are not counted").isEqualTo(400);
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
    }
    assertThat(benchmark.repository()).isNull();
    assertThat(repository).doesNotExist();
  }

  @Test
  void theCeilingWithoutAServerCompletesEveryRequestInBatches() throws Exception {
    OutstandingRequestsBenchmark benchmark = new OutstandingRequestsBenchmark();
    benchmark.concurrency = 8;
    benchmark.instances = 1;
    benchmark.batching = "on";
    benchmark.size = OutstandingRequestsBenchmark.NO_SERVER;
    benchmark.setUp();
    try {
      assertThat(benchmark.repository()).as("no model is written").isNull();
      benchmark.startIteration(iteration(IterationType.MEASUREMENT));
      for (int i = 0; i < 400; i++) {
        InferenceResult r = benchmark.request();
        assertThat(r.batchSize()).isEqualTo(8);
        assertThat(r.outputs()).isEmpty();
      }
      benchmark.endIteration();
      assertThat(benchmark.latencies().count()).isEqualTo(400);
      assertThat(benchmark.meanBatchSize()).isEqualTo(8.0);
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
    }
  }

  @Test
  void refusesAnUnknownSettingOrNoConcurrencyBeforeMakingAnything() {
    OutstandingRequestsBenchmark benchmark = new OutstandingRequestsBenchmark();
    benchmark.concurrency = 1;
    benchmark.instances = 1;
    benchmark.batching = "sometimes";
    benchmark.size = "16x4";
    assertThatThrownBy(benchmark::setUp).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batching must be on, triton or off, found 'sometimes'");
    benchmark.batching = "on";
    benchmark.concurrency = 0;
    assertThatThrownBy(benchmark::setUp).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency must be at least 1, found 0");
    assertThat(benchmark.repository()).isNull();
  }

  private static IterationParams iteration(IterationType type) {
    return new IterationParams(type, 1, TimeValue.seconds(1), 1);
  }
}
