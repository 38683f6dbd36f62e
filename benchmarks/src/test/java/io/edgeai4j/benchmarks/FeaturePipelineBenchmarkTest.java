package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs each benchmark method's body (not under JMH) so that the build catches a broken benchmark. */
class FeaturePipelineBenchmarkTest {

  @Test
  void pipelineMakesFiveWindowsPerBlockOnceFull() {
    FeaturePipelineBenchmark benchmark = new FeaturePipelineBenchmark();
    benchmark.setUp();

    double first = benchmark.pipeline();
    assertThat(benchmark.windows()).as("windows after the first block of 2560 samples").isEqualTo(4);
    double second = benchmark.pipeline();
    assertThat(benchmark.windows()).as("windows after the second block").isEqualTo(9);
    assertThat(first).isFinite().isNotZero();
    assertThat(second).isFinite().isNotZero().isNotEqualTo(first);
  }

  @Test
  void validatedPipelineAcceptsEveryBlockAndMakesTheSameWindows() {
    FeaturePipelineBenchmark benchmark = new FeaturePipelineBenchmark();
    benchmark.setUp();
    for (int i = 0; i < FeaturePipelineBenchmark.BLOCKS + 1; i++) {
      assertThat(benchmark.validatedPipeline()).isFinite().isNotNegative();
    }
    assertThat(benchmark.rejected()).isZero();
    assertThat(benchmark.windows()).isEqualTo(4 + 5 * FeaturePipelineBenchmark.BLOCKS);
  }

  @Test
  void bareFftTransformsFiveWindowsPerBlock() {
    FeaturePipelineBenchmark benchmark = new FeaturePipelineBenchmark();
    benchmark.setUp();

    for (int i = 0; i < FeaturePipelineBenchmark.BLOCKS + 1; i++) {
      assertThat(benchmark.bareFft()).isFinite().isNotZero();
    }
    assertThat(FeaturePipelineBenchmark.BLOCK / FeaturePipelineBenchmark.HOP).isEqualTo(5);
  }

  @Test
  void theSignalIsDeterministic() {
    assertThat(VibrationSignal.generate(1000, 25_000, 42)).containsExactly(VibrationSignal.generate(1000, 25_000, 42));
    assertThat(VibrationSignal.generate(1000, 25_000, 42)).isNotEqualTo(VibrationSignal.generate(1000, 25_000, 43));
  }
}
