package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.InferenceRequest;
import io.edgeai4j.inference.serving.InferenceResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs each benchmark method's body once (not under JMH) so that the build catches a broken benchmark, and checks
 * that the two settings are what they claim: with batching on, requests that wait together run together; with it
 * off, every run holds one request.
 */
class DynamicBatchingBenchmarkTest {

  @ParameterizedTest
  @CsvSource({"on, true", "off, false"})
  void eachClientCountRunsAndTheSettingDecidesWhetherRequestsShareARun(String batching, boolean shared)
      throws Exception {
    DynamicBatchingBenchmark benchmark = new DynamicBatchingBenchmark();
    benchmark.batching = batching;
    benchmark.size = "16x4";
    benchmark.setUp();
    Path repository = benchmark.repository();
    try {
      for (InferenceResult r : List.of(benchmark.clients01(), benchmark.clients08(), benchmark.clients32())) {
        assertThat(r.batchSize()).as("a lone request runs alone").isEqualTo(1);
        assertThat(r.outputs().get(BenchmarkModels.OUTPUT).shape()).containsExactly(1, 4);
      }
      assertThat(benchmark.meanBatchSize()).isEqualTo(1.0);

      // 32 requests queued at once (the queue delay, 300 µs, starts at the first): batched only when on.
      Tensor row = Tensor.ofFloats(BenchmarkModels.INPUT, new long[] {1, 16}, InferenceOverheadBenchmark.inputRow(16));
      InferenceRequest request = new InferenceRequest(DynamicBatchingBenchmark.MODEL, null,
          Map.of(BenchmarkModels.INPUT, row), null);
      List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
      for (int i = 0; i < DynamicBatchingBenchmark.MAX_BATCH; i++) {
        futures.add(benchmark.serving().server().infer(request));
      }
      int largest = 0;
      for (CompletableFuture<InferenceResult> f : futures) {
        InferenceResult r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.batchSize()).isBetween(1, DynamicBatchingBenchmark.MAX_BATCH);
        largest = Math.max(largest, r.batchSize());
      }
      if (shared) {
        assertThat(largest).as("largest batch with batching on").isGreaterThan(1);
      } else {
        assertThat(largest).as("largest batch with batching off").isEqualTo(1);
      }
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
    }
    assertThat(benchmark.serving()).isNull();
    assertThat(repository).doesNotExist();
  }

  @Test
  void refusesAnUnknownSetting() {
    DynamicBatchingBenchmark benchmark = new DynamicBatchingBenchmark();
    benchmark.batching = "sometimes";
    benchmark.size = "16x4";
    assertThatThrownBy(benchmark::setUp).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batching must be on or off, found 'sometimes'");
    assertThat(benchmark.repository()).isNull();
  }
}
