package io.edgeai4j.optimize.convert;

import static io.edgeai4j.optimize.inspect.TestGraphs.f;
import static io.edgeai4j.optimize.inspect.TestGraphs.floatInfo;
import static io.edgeai4j.optimize.inspect.TestGraphs.i;
import static io.edgeai4j.optimize.inspect.TestGraphs.ints;
import static io.edgeai4j.optimize.inspect.TestGraphs.node;
import static io.edgeai4j.optimize.inspect.TestGraphs.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.inspect.TestGraphs;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Float16ConverterTest {
  private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
  private static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();

  @TempDir Path dir;

  /**
   * Real models converted with float32 inputs and outputs kept: ONNX Runtime loads the result, the file is about half
   * the size, and the outputs stay within the tolerance of float16 rounding (relative to the outputs' magnitude).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // model, largest absolute difference allowed, largest file size ratio (the graph's own bytes weigh more in a
      // small model; the weights' bytes are halved exactly in all)
      "mlp 64-128-64-10, 0.01, 0.55",
      "conv1d 128x16x3 layers, 0.01, 0.65",
      "linear softmax 32-8, 0.005, 0.75",
      "conv2d pools sigmoid clip softmax, 0.01, 0.75",
  })
  void halvesTheWeightsAndKeepsOutputsClose(String name, double tolerance, double sizeRatio) throws Exception {
    Path source = model(name);
    OnnxMl.ModelProto fp32 = OnnxModelFile.read(source);

    Float16Converter.Result result = Float16Converter.convert(fp32, false);

    Path target = dir.resolve("fp16.onnx");
    OnnxModelFile.writeChecked(result.model(), target);
    assertThat((double) Files.size(target) / Files.size(source)).isBetween(0.45, sizeRatio);
    long parameters = fp32.getGraph().getInitializerList().stream()
        .filter(t -> t.getDataType() == FLOAT).mapToLong(t -> t.getFloatDataCount()).sum();
    assertThat(result.model().getGraph().getInitializerList().stream()
        .mapToLong(t -> t.getRawData().size()).sum()).isEqualTo(parameters * 2);
    assertThat(result.model().getGraph().getInitializerList()).allSatisfy(t ->
        assertThat(t.getDataType()).isEqualTo(FLOAT16));
    assertThat(result.model().getGraph().getInputList()).allSatisfy(v ->
        assertThat(v.getType().getTensorType().getElemType()).isEqualTo(FLOAT));
    assertThat(result.model().getGraph().getOutputList()).allSatisfy(v ->
        assertThat(v.getType().getTensorType().getElemType()).isEqualTo(FLOAT));
    Map<String, Double> difference = OutputComparison.maxAbsDifference(fp32, result.model(), 4, 3);
    assertThat(difference).isNotEmpty().allSatisfy((output, d) ->
        assertThat(d).as(output).isGreaterThan(0).isLessThan(tolerance));
  }

  /**
   * Every node left in float16 has a CPU float16 kernel: ONNX Runtime, loading the converted model with
   * optimizations off, inserts no Cast of its own (it does around a float16 node without a kernel).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"mlp 64-128-64-10", "conv1d 128x16x3 layers", "conv2d pools sigmoid clip softmax"})
  void onnxRuntimeInsertsNoCastsOfItsOwn(String name) throws Exception {
    Float16Converter.Result result = Float16Converter.convert(OnnxModelFile.read(model(name)), false);
    Path optimized = dir.resolve("as-run.onnx");

    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(result.model().toByteArray(), options).close();
    }

    OnnxMl.ModelProto asRun = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized));
    assertThat(casts(asRun)).isEqualTo(casts(result.model()));
    assertThat(result.float16Ops()).isNotEmpty();
  }

  private static long casts(OnnxMl.ModelProto model) {
    return model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
  }

  @Test
  void float16IoMakesTheGraphsInputsAndOutputsFloat16() throws Exception {
    OnnxMl.ModelProto fp32 = OnnxModelFile.read(model("mlp 64-128-64-10"));

    Float16Converter.Result result = Float16Converter.convert(fp32, true);

    OnnxModelFile.writeChecked(result.model(), dir.resolve("io16.onnx"));
    assertThat(result.model().getGraph().getInput(0).getType().getTensorType().getElemType()).isEqualTo(FLOAT16);
    assertThat(result.model().getGraph().getOutput(0).getType().getTensorType().getElemType()).isEqualTo(FLOAT16);
    assertThat(OutputComparison.maxAbsDifference(fp32, result.model(), 2, 9).values())
        .allSatisfy(d -> assertThat(d).isLessThan(0.01));
  }

  @Test
  void valuesBeyondFloat16AreClampedAndCounted() throws Exception {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("big").addInput(floatInfo("x", -1, 2))
        .addOutput(floatInfo("y"))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("b").setDataType(FLOAT).addDims(2)
            .addFloatData(1e6f).addFloatData(-7e4f))
        .addNode(node("Add", "add", new String[] {"x", "b"}, new String[] {"y"}));

    Float16Converter.Result result = Float16Converter.convert(TestGraphs.model(g, 13), false);

    assertThat(result.clamped()).isEqualTo(2);
    float[] y = OutputComparison.run(result.model(), 1, 1).get("y");
    assertThat(y[0]).isCloseTo(65504f, within(1f));
    assertThat(y[1]).isCloseTo(-65504f, within(1f));
  }

  private Path model(String name) throws Exception {
    Path file = dir.resolve("fp32.onnx");
    switch (name.split(" ")[0]) {
      case "mlp" -> OnnxTestModels.mlp(file, new int[] {64, 128, 64, 10}, 11);
      case "conv1d" -> OnnxTestModels.conv1d(file, 128, 16, 3, 3, 4, 5);
      case "linear" -> {
        float[] w = new float[32 * 8];
        for (int k = 0; k < w.length; k++) {
          w[k] = (float) Math.sin(k) / 4;
        }
        float[] b = new float[8];
        OnnxTestModels.linear(file, 32, 8, w, b, true);
      }
      default -> {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("cnn")
            .addInput(floatInfo("x", -1, 3, 16, 16)).addOutput(floatInfo("y"))
            .addInitializer(randomTensor("w", 1, 16, 3, 3, 3)).addInitializer(randomTensor("b", 2, 16))
            .addInitializer(randomTensor("dense", 3, 16, 5)).addInitializer(randomTensor("dense_b", 4, 5))
            .addInitializer(OnnxMl.TensorProto.newBuilder().setName("lo").setDataType(FLOAT).addFloatData(0))
            .addInitializer(OnnxMl.TensorProto.newBuilder().setName("hi").setDataType(FLOAT).addFloatData(6))
            .addNode(node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"c"},
                ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)))
            .addNode(node("Clip", "clip", new String[] {"c", "lo", "hi"}, new String[] {"r"}))
            .addNode(node("MaxPool", "pool", new String[] {"r"}, new String[] {"p"}, ints("kernel_shape", 2, 2),
                ints("strides", 2, 2)))
            .addNode(node("AveragePool", "avg", new String[] {"p"}, new String[] {"a"}, ints("kernel_shape", 2, 2),
                ints("strides", 2, 2)))
            .addNode(node("Sigmoid", "sigmoid", new String[] {"a"}, new String[] {"s"}))
            .addNode(node("Mul", "mul", new String[] {"a", "s"}, new String[] {"m"}))
            .addNode(node("GlobalAveragePool", "gap", new String[] {"m"}, new String[] {"g"}))
            .addNode(node("Flatten", "flatten", new String[] {"g"}, new String[] {"fl"}, i("axis", 1)))
            .addNode(node("Gemm", "gemm", new String[] {"fl", "dense", "dense_b"}, new String[] {"logits"},
                f("alpha", 1f)))
            .addNode(node("Softmax", "softmax", new String[] {"logits"}, new String[] {"y"}, i("axis", -1)));
        OnnxModelFile.write(TestGraphs.model(g, 13), file);
      }
    }
    return file;
  }
}
