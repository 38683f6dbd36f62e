package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.module.EdgeMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark method's body once (not under JMH) so that the build catches a broken benchmark, and checks
 * that the module's path and the bare ONNX Runtime call compute the same thing.
 */
class InferenceOverheadBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"16x4", "64x8", "16x8x8x4", "conv64x4x2"})
  void everyPathComputesTheSameOutputAsTheBareCall(String size) throws Exception {
    InferenceOverheadBenchmark benchmark = new InferenceOverheadBenchmark();
    benchmark.size = size;
    benchmark.setUp();
    Path repository = benchmark.repository();
    try {
      int out = InferenceOverheadBenchmark.parseSize(size).out();
      EdgeMessage message = benchmark.modulePath();
      JsonNode body = message.bodyAsJson();
      assertThat(body.get("status").asText()).isEqualTo("ok");
      assertThat(body.get("correlationId").asText()).isEqualTo("overhead-1");
      assertThat(body.get("batchSize").asInt()).isEqualTo(1);
      JsonNode y = body.at("/outputs/" + BenchmarkModels.OUTPUT);
      assertThat(y.get("shape").toString()).isEqualTo("[1," + out + "]");
      float[] moduleOutput = littleEndianFloats(y.get("base64").asText());

      float[] backendOutput = benchmark.backendRun().get(BenchmarkModels.OUTPUT).toFloats();
      InferenceResult served = benchmark.serverInfer();
      float bare = benchmark.bareOrtRun();

      assertThat(benchmark.codecOnly().bodyAsJson().at("/outputs/" + BenchmarkModels.OUTPUT))
          .as("the codec alone writes the same output").isEqualTo(y);
      assertThat(moduleOutput).hasSize(out).containsExactly(backendOutput);
      assertThat(served.batchSize()).isEqualTo(1);
      assertThat(served.outputs().get(BenchmarkModels.OUTPUT).toFloats()).containsExactly(backendOutput);
      assertThat(bare).isEqualTo(moduleOutput[0]).isNotZero();
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
    }
    assertThat(benchmark.repository()).isNull();
    assertThat(repository).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource({"16x4, 16, 4", "4096x2048, 4096, 2048", "1x1, 1, 1"})
  void parsesSizes(String text, int in, int out) {
    assertThat(InferenceOverheadBenchmark.parseSize(text)).isEqualTo(new BenchmarkModels.Size(in, out));
  }

  @org.junit.jupiter.api.Test
  void parsesMultiLayerSizes() {
    assertThat(InferenceOverheadBenchmark.parseSize("64x256x256x8").widths()).containsExactly(64, 256, 256, 8);
    BenchmarkModels.Size conv = InferenceOverheadBenchmark.parseSize("conv1024x32x4");
    assertThat(conv.conv()).isEqualTo(new BenchmarkModels.Size.Conv(1024, 32, 4));
    assertThat(conv.rowShape()).containsExactly(1, 1, 1024);
    assertThat(conv.out()).isEqualTo(BenchmarkModels.Size.CLASSES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"16", "16x", "x4", "16x4x", "ax4", "0x4", "16x0x4", "16X4", "", "conv1024x32", "conv0x4x2",
      "convx4x2", "conv64x4x2x1"})
  void refusesMalformedSizes(String text) {
    assertThatThrownBy(() -> InferenceOverheadBenchmark.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found");
  }

  private static float[] littleEndianFloats(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }
}
