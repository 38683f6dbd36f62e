package io.edgeai4j.optimize.inspect;

import static io.edgeai4j.optimize.inspect.TestGraphs.floatInfo;
import static io.edgeai4j.optimize.inspect.TestGraphs.i;
import static io.edgeai4j.optimize.inspect.TestGraphs.ints;
import static io.edgeai4j.optimize.inspect.TestGraphs.node;
import static io.edgeai4j.optimize.inspect.TestGraphs.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.onnx.ModelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelInspectorTest {
  @TempDir Path dir;

  /** One node per row: its MACs and FLOPs from the formulas (shapes from an ONNX Runtime run). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // case, MACs, FLOPs
      "conv2d 3->8 k3x3 pad1 on 1x3x10x10 (+bias), 21600, 44000",
      "conv2d grouped 4->4 group 2 k3x3 on 1x4x6x6, 1152, 2304",
      "gemm 1x16 x 16x4 (+bias), 64, 132",
      "matmul 2x3x5 x 5x7, 210, 420",
      "add 1x16, 0, 16",
      "relu 1x16, 0, 16",
      "maxpool k2 stride2 on 1x3x10x10, 0, 300",
      "globalaveragepool on 1x3x10x10, 0, 300",
      "softmax 1x16, 0, 48",
      "reshape 1x16, 0, 0",
  })
  void macsAndFlopsPerOp(String name, long macs, long flops) {
    OnnxMl.GraphProto.Builder graph = singleNode(name);

    ModelReport report = ModelInspector.inspect(TestGraphs.model(graph, 13), "m", 0);

    assertThat(report.shapeSource()).startsWith("ONNX Runtime run");
    assertThat(report.nodes()).singleElement().satisfies(n -> {
      assertThat(n.counted()).isTrue();
      assertThat(n.macs()).as("MACs").isEqualTo(macs);
      assertThat(n.flops()).as("FLOPs").isEqualTo(flops);
    });
    assertThat(report.totalMacs()).isEqualTo(macs);
    assertThat(report.notCounted()).isEmpty();
  }

  private static OnnxMl.GraphProto.Builder singleNode(String name) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("t");
    String op = name.split(" ")[0];
    switch (op) {
      case "conv2d" -> {
        boolean grouped = name.contains("group");
        long cin = grouped ? 4 : 3;
        long cout = grouped ? 4 : 8;
        long size = grouped ? 6 : 10;
        g.addInput(floatInfo("x", 1, cin, size, size)).addOutput(floatInfo("y"))
            .addInitializer(randomTensor("w", 1, cout, grouped ? 2 : cin, 3, 3));
        if (grouped) {
          g.addNode(node("Conv", "c", new String[] {"x", "w"}, new String[] {"y"}, ints("kernel_shape", 3, 3),
              i("group", 2)));
        } else {
          g.addInitializer(randomTensor("b", 2, cout)).addNode(node("Conv", "c", new String[] {"x", "w", "b"},
              new String[] {"y"}, ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)));
        }
      }
      case "gemm" -> g.addInput(floatInfo("x", 1, 16)).addOutput(floatInfo("y"))
          .addInitializer(randomTensor("w", 1, 16, 4)).addInitializer(randomTensor("b", 2, 4))
          .addNode(node("Gemm", "g", new String[] {"x", "w", "b"}, new String[] {"y"}));
      case "matmul" -> g.addInput(floatInfo("x", 2, 3, 5)).addOutput(floatInfo("y"))
          .addInitializer(randomTensor("w", 1, 5, 7))
          .addNode(node("MatMul", "m", new String[] {"x", "w"}, new String[] {"y"}));
      case "add" -> g.addInput(floatInfo("x", 1, 16)).addOutput(floatInfo("y"))
          .addInitializer(randomTensor("b", 1, 16))
          .addNode(node("Add", "a", new String[] {"x", "b"}, new String[] {"y"}));
      case "relu", "softmax" -> g.addInput(floatInfo("x", 1, 16)).addOutput(floatInfo("y"))
          .addNode(node(op.equals("relu") ? "Relu" : "Softmax", "r", new String[] {"x"}, new String[] {"y"}));
      case "maxpool" -> g.addInput(floatInfo("x", 1, 3, 10, 10)).addOutput(floatInfo("y"))
          .addNode(node("MaxPool", "p", new String[] {"x"}, new String[] {"y"}, ints("kernel_shape", 2, 2),
              ints("strides", 2, 2)));
      case "globalaveragepool" -> g.addInput(floatInfo("x", 1, 3, 10, 10)).addOutput(floatInfo("y"))
          .addNode(node("GlobalAveragePool", "p", new String[] {"x"}, new String[] {"y"}));
      case "reshape" -> g.addInput(floatInfo("x", 1, 16)).addOutput(floatInfo("y"))
          .addInitializer(TestGraphs.int64Tensor("s", new long[] {2}, 4, 4))
          .addNode(node("Reshape", "r", new String[] {"x", "s"}, new String[] {"y"}));
      default -> throw new IllegalArgumentException(name);
    }
    return g;
  }

  @Test
  void anMlpFromOnnxTestModels() throws Exception {
    Path file = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), new int[] {8, 16, 4}, 7);

    ModelReport report = ModelInspector.inspect(file);

    assertThat(report.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(report.opsets()).isEqualTo(Map.of("", 13L));
    assertThat(report.inputs()).containsExactly(new ModelReport.TensorSpec("x", "float", List.of("batch", "8")));
    assertThat(report.outputs()).containsExactly(new ModelReport.TensorSpec("y", "float", List.of("batch", "4")));
    assertThat(report.opHistogram()).containsExactly(Map.entry("Add", 2), Map.entry("MatMul", 2),
        Map.entry("Relu", 1));
    assertThat(report.parameters()).isEqualTo(8 * 16 + 16 + 16 * 4 + 4);
    assertThat(report.totalMacs()).isEqualTo(8 * 16 + 16 * 4);
    assertThat(report.totalFlops()).isEqualTo(2 * (8 * 16 + 16 * 4) + 16 + 4 + 16);
    assertThat(report.quantized()).isFalse();
    assertThat(report.nodes()).extracting(ModelReport.NodeCost::outputShape)
        .containsExactly(List.of(1L, 16L), List.of(1L, 16L), List.of(1L, 16L), List.of(1L, 4L), List.of(1L, 4L));
  }

  @Test
  void aConv1dClassifierCountsItsConvolutions() throws Exception {
    // length 32, 8 channels, 2 layers, kernel 3, 4 classes
    Path file = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 32, 8, 2, 3, 4, 1);

    ModelReport report = ModelInspector.inspect(file);

    long conv0 = 32L * 8 * 1 * 3;
    long conv1 = 32L * 8 * 8 * 3;
    long dense = 8L * 4;
    assertThat(report.nodes()).filteredOn(n -> n.opType().equals("Conv")).extracting(ModelReport.NodeCost::macs)
        .containsExactly(conv0, conv1);
    assertThat(report.totalMacs()).isEqualTo(conv0 + conv1 + dense);
    assertThat(report.opHistogram()).containsEntry("ReduceMean", 1).containsEntry("Conv", 2);
    assertThat(report.parameters()).isEqualTo(8 * 3 + 8 + 8 * 8 * 3 + 8 + 8 * 4 + 4);
  }

  @Test
  void aQdqModelIsQuantizedAndAnUnknownOpIsNotCounted() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("q")
        .addInput(floatInfo("x", -1, 4)).addOutput(floatInfo("y"))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("s").setDataType(1).addFloatData(0.1f))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("z").setDataType(3).addInt32Data(0))
        .addNode(node("QuantizeLinear", "q", new String[] {"x", "s", "z"}, new String[] {"xq"}))
        .addNode(node("DequantizeLinear", "dq", new String[] {"xq", "s", "z"}, new String[] {"xd"}))
        .addNode(node("Round", "round", new String[] {"xd"}, new String[] {"d"}))
        .addNode(node("Identity", "id", new String[] {"xd"}, new String[] {"y"}));
    g.addNode(node("HardSwish", "hs", new String[] {"xd"}, new String[] {"h"}))
        .addNode(node("Mish", "mish", new String[] {"xd"}, new String[] {"mm"}));

    ModelReport report = ModelInspector.inspect(TestGraphs.model(g, 18), "q", 0);

    assertThat(report.quantized()).isTrue();
    assertThat(report.quantizationOps()).containsExactly(Map.entry("DequantizeLinear", 1),
        Map.entry("QuantizeLinear", 1));
    assertThat(report.notCounted()).containsExactly("Mish");
    assertThat(report.nodes()).filteredOn(n -> n.opType().equals("Mish")).singleElement()
        .satisfies(n -> assertThat(n.counted()).isFalse());
  }

  @Test
  void aModelThatCannotRunOnZerosFallsBackToValueInfoAndSaysSo() throws Exception {
    // Expand to shape [0, 0] fails for 2 rows, so the zero-input run fails; value_info gives x's consumer's shape.
    Path file = OnnxTestModels.expand(dir.resolve("expand.onnx"), 2);

    ModelReport report = ModelInspector.inspect(file);

    assertThat(report.shapeSource()).startsWith("value_info (ONNX Runtime could not run the model on zero inputs");
    assertThat(report.notCounted()).containsExactly("Expand");
    assertThat(report.totalMacs()).isZero();
  }

  @Test
  void aFileThatIsNotAModelIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.onnx"), "not a model");

    assertThatThrownBy(() -> ModelInspector.inspect(file)).isInstanceOf(ModelFileException.class)
        .hasMessageContaining("notes.onnx");
  }
}
