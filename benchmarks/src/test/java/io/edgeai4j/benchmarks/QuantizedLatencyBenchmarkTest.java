package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the benchmark's body once for each precision (not under JMH), so that the build catches a broken benchmark. */
class QuantizedLatencyBenchmarkTest {
  private static int top(String precision) throws Exception {
    QuantizedLatencyBenchmark benchmark = new QuantizedLatencyBenchmark();
    benchmark.precision = precision;
    benchmark.length = 64;
    benchmark.setUp();
    Path directory = benchmark.directory();
    try {
      if (precision.equals("int8")) {
        assertThat(directory.resolve("conv.int8.onnx")).exists();
      }
      return benchmark.run();
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
      assertThat(directory).doesNotExist();
    }
  }

  @Test
  void bothPrecisionsRunTheSameClassifierAndAgree() throws Exception {
    int fp32 = top("fp32");
    int int8 = top("int8");

    assertThat(fp32).isBetween(0, 9);
    assertThat(int8).isEqualTo(fp32);
  }

  @Test
  void anUnknownPrecisionIsRefused() {
    QuantizedLatencyBenchmark benchmark = new QuantizedLatencyBenchmark();
    benchmark.precision = "fp16";
    benchmark.length = 64;
    assertThatThrownBy(benchmark::setUp).hasMessageContaining("precision must be fp32 or int8, found 'fp16'");
  }
}
