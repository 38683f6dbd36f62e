package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The full-batch baseline runs the benchmark model on a whole batch and cleans up after itself. */
class FullBatchBenchmarkTest {
  @Test
  void runsAFullBatchOfTheSameModelAndDeletesItsRepository() throws Exception {
    FullBatchBenchmark benchmark = new FullBatchBenchmark();
    benchmark.batch = 32;
    benchmark.size = "16x4";
    benchmark.setUp();
    try {
      float first = benchmark.fullBatchRun();
      assertThat(benchmark.fullBatchRun()).isEqualTo(first).isFinite();
    } finally {
      benchmark.tearDown();
    }
    try (var leftovers = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(leftovers.filter(p -> p.getFileName().toString().startsWith("edgeai4j-full-batch-")))
          .as("repositories left behind").isEmpty();
    }
  }
}
