package io.edgeai4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the benchmark's body once for each model and precision (not under JMH), so that the build catches a broken
 * benchmark. {@code fashion-cnn} needs Debian's {@code dataset-fashion-mnist}, which the build installs.
 */
class QuantizedLatencyBenchmarkTest {
  private record Run(int top, List<String> ops) {}

  private static Run run(String model, String precision) throws Exception {
    QuantizedLatencyBenchmark benchmark = new QuantizedLatencyBenchmark();
    benchmark.model = model;
    benchmark.precision = precision;
    benchmark.length = 64;
    benchmark.setUp();
    Path directory = benchmark.directory();
    try {
      Path file = benchmark.modelFile();
      if (precision.equals("int8")) {
        assertThat(file).isEqualTo(directory.resolve(model + ".int8.onnx")).exists();
      }
      List<String> ops = OnnxModelFile.read(file).getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType)
          .toList();
      return new Run(benchmark.run(), ops);
    } finally {
      benchmark.tearDown();
      benchmark.tearDown();
      assertThat(directory).doesNotExist();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"conv1d", "fashion-cnn"})
  void bothPrecisionsRunTheSameClassifierAndAgree(String model) throws Exception {
    Run fp32 = run(model, "fp32");
    Run int8 = run(model, "int8");

    assertThat(fp32.ops()).contains("Conv").doesNotContain("QuantizeLinear", "DequantizeLinear");
    assertThat(int8.ops()).contains("Conv", "QuantizeLinear", "DequantizeLinear");
    assertThat(fp32.top()).isBetween(0, 9);
    assertThat(int8.top()).isEqualTo(fp32.top());
  }

  @Test
  void theFashionCnnIsTheTrainedModelAndClassifiesTheFirstTestImage() throws Exception {
    Path file = FashionMnistCnn.model(null, Path.of(""));
    assertThat(file).endsWith(FashionMnistCnn.MODEL);
    OnnxMl.GraphProto graph = OnnxModelFile.read(file).getGraph();
    assertThat(graph.getInput(0).getName()).isEqualTo("image");
    long parameters = graph.getInitializerList().stream()
        .mapToLong(t -> t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b)).sum();
    assertThat(parameters).isEqualTo(287_658L);
    float[] image = FashionMnistCnn.firstTestImage(FashionMnistCnn.DATA);
    assertThat(image).hasSize(28 * 28);
    for (float v : image) {
      assertThat(v).isBetween(0f, 1f);
    }

    // The first Fashion-MNIST test image is an ankle boot (class 9); the 91 % model gets it right in both precisions.
    assertThat(FashionMnistCnn.firstTestLabel(FashionMnistCnn.DATA)).isEqualTo(9);
    assertThat(run("fashion-cnn", "fp32").top()).isEqualTo(9);
  }

  @Test
  void theFashionCnnIsFoundFromAPropertyOrAParentDirectory(@TempDir Path dir) throws Exception {
    Path model = dir.resolve(FashionMnistCnn.MODEL);
    Files.createDirectories(model.getParent());
    Files.write(model, new byte[] {1});
    Path deep = Files.createDirectories(dir.resolve("benchmarks/target"));
    assertThat(FashionMnistCnn.model(null, deep)).isEqualTo(model);
    Path other = Files.write(dir.resolve("other.onnx"), new byte[] {1});
    assertThat(FashionMnistCnn.model(other.toString(), deep)).isEqualTo(other);

    assertThatThrownBy(() -> FashionMnistCnn.model(null, dir.getRoot()))
        .hasMessageContaining("no " + FashionMnistCnn.MODEL + " under " + dir.getRoot())
        .hasMessageContaining("-Dedgeai4j.fashionCnn is not set");
    assertThatThrownBy(() -> FashionMnistCnn.model(dir.resolve("missing.onnx").toString(), deep))
        .hasMessageContaining("-Dedgeai4j.fashionCnn=" + dir.resolve("missing.onnx") + " is not a file");
  }

  @Test
  void missingFashionMnistNamesThePackage(@TempDir Path dir) {
    assertThatThrownBy(() -> FashionMnistCnn.firstTestImage(dir))
        .hasMessageContaining(dir.resolve("t10k-images-idx3-ubyte.gz") + " is not a file")
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
    assertThatThrownBy(() -> FashionMnistCnn.writeCalibration(dir, dir.resolve("calibration")))
        .hasMessageContaining(dir.resolve("train-images-idx3-ubyte.gz") + " is not a file")
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
      "conv1d,      fp16,  precision must be fp32 or int8, found 'fp16'",
      "mnist,       fp32,  model must be conv1d or fashion-cnn, found 'mnist'",
  })
  void unknownParametersAreRefused(String model, String precision, String message) {
    QuantizedLatencyBenchmark benchmark = new QuantizedLatencyBenchmark();
    benchmark.model = model;
    benchmark.precision = precision;
    benchmark.length = 64;
    assertThatThrownBy(benchmark::setUp).hasMessageContaining(message);
    assertThat(benchmark.directory()).isNull();
  }
}
