package io.edgeai4j.optimize.convert;

import static io.edgeai4j.optimize.inspect.TestGraphs.f;
import static io.edgeai4j.optimize.inspect.TestGraphs.floatInfo;
import static io.edgeai4j.optimize.inspect.TestGraphs.i;
import static io.edgeai4j.optimize.inspect.TestGraphs.int64Tensor;
import static io.edgeai4j.optimize.inspect.TestGraphs.ints;
import static io.edgeai4j.optimize.inspect.TestGraphs.node;
import static io.edgeai4j.optimize.inspect.TestGraphs.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.optimize.inspect.TestGraphs;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpsetConverterTest {
  @TempDir Path dir;

  /**
   * One graph per row, at the source opset: upgraded, written with writeChecked (ONNX Runtime loads it), its outputs
   * equal to the source model's on the same random inputs, and the op's new form in the graph.
   */
  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      // case | from | to | op types after, in order | inputs of the changed node after
      "clip min/max attributes become inputs | 9 | 13 | Clip | 3",
      "softmax axis=1 of a rank-3 tensor keeps its flattened meaning | 11 | 13 | Shape,Flatten,Softmax,Reshape | 1",
      "softmax default axis of a rank-2 tensor is the last axis | 9 | 13 | Softmax | 1",
      "squeeze/unsqueeze axes become inputs | 11 | 13 | Unsqueeze,Squeeze | 2",
      "batchnormalization loses spatial | 8 | 15 | BatchNormalization | 5",
      "dropout ratio becomes an input | 9 | 13 | Dropout,Relu | 2",
      "pad pads and value become inputs | 10 | 11 | Pad | 3",
      "split sizes become an input | 11 | 18 | Split,Concat | 2",
      "split without sizes gets num_outputs | 11 | 18 | Split,Concat | 1",
      "reducesum axes become an input | 11 | 13 | ReduceSum | 2",
      "conv gemm pools reshape flatten transpose concat sigmoid mul carry over | 9 | 21 | "
          + "Conv,MaxPool,AveragePool,GlobalAveragePool,Sigmoid,Mul,Transpose,Reshape,Flatten,Flatten,Concat,Gemm | 3",
  })
  void upgradesAndKeepsOutputs(String name, int from, int to, String opsAfter, int changedInputs) throws Exception {
    OnnxMl.ModelProto source = TestGraphs.model(graph(name), from);
    OnnxModelFile.checkLoads(write(source, "source.onnx"));

    OnnxMl.ModelProto upgraded = OpsetConverter.upgrade(source, to);

    OnnxModelFile.writeChecked(upgraded, dir.resolve("upgraded.onnx"));
    assertThat(OpsetConverter.opset(upgraded)).isEqualTo(to);
    List<String> ops = upgraded.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
    assertThat(ops).containsExactly(opsAfter.split(","));
    OnnxMl.NodeProto changed = upgraded.getGraph().getNodeList().stream()
        .filter(n -> name.toLowerCase().startsWith(n.getOpType().toLowerCase())).findFirst()
        .orElse(upgraded.getGraph().getNode(upgraded.getGraph().getNodeCount() - 1));
    assertThat(changed.getInputList().stream().filter(s -> !s.isEmpty())).hasSize(changedInputs);
    Map<String, Double> difference = OutputComparison.maxAbsDifference(source, upgraded, 2, 42);
    assertThat(difference).isNotEmpty().allSatisfy((output, d) -> assertThat(d).as(output).isLessThan(1e-5));
  }

  private Path write(OnnxMl.ModelProto model, String file) throws Exception {
    Path path = dir.resolve(file);
    OnnxModelFile.write(model, path);
    return path;
  }

  private static OnnxMl.GraphProto.Builder graph(String name) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("t").addOutput(floatInfo("y"));
    String op = name.split(" ")[0];
    switch (op) {
      case "clip" -> g.addInput(floatInfo("x", -1, 6))
          .addNode(node("Clip", "clip", new String[] {"x"}, new String[] {"y"}, f("min", -0.2f), f("max", 0.3f)));
      case "softmax" -> {
        if (name.contains("rank-3")) {
          g.addInput(floatInfo("x", 2, 3, 4))
              .addNode(node("Softmax", "softmax", new String[] {"x"}, new String[] {"y"}, i("axis", 1)));
        } else {
          g.addInput(floatInfo("x", -1, 5)).addNode(node("Softmax", "softmax", new String[] {"x"}, new String[] {"y"}));
        }
      }
      case "squeeze/unsqueeze" -> g.addInput(floatInfo("x", -1, 4))
          .addNode(node("Unsqueeze", "unsqueeze", new String[] {"x"}, new String[] {"u"}, ints("axes", 1)))
          .addNode(node("Squeeze", "squeeze", new String[] {"u"}, new String[] {"y"}, ints("axes", 1)));
      case "batchnormalization" -> g.addInput(floatInfo("x", -1, 3, 4))
          .addInitializer(randomTensor("scale", 1, 3)).addInitializer(randomTensor("bias", 2, 3))
          .addInitializer(randomTensor("mean", 3, 3)).addInitializer(positive("var", 3))
          .addNode(node("BatchNormalization", "bn", new String[] {"x", "scale", "bias", "mean", "var"},
              new String[] {"y"}, i("spatial", 1), f("epsilon", 1e-5f)));
      case "dropout" -> g.addInput(floatInfo("x", -1, 4))
          .addNode(node("Dropout", "dropout", new String[] {"x"}, new String[] {"d"}, f("ratio", 0.5f)))
          .addNode(node("Relu", "relu", new String[] {"d"}, new String[] {"y"}));
      case "pad" -> g.addInput(floatInfo("x", -1, 4))
          .addNode(node("Pad", "pad", new String[] {"x"}, new String[] {"y"}, ints("pads", 0, 1, 0, 2),
              f("value", 0.5f)));
      case "split" -> {
        g.addInput(floatInfo("x", -1, 6));
        if (name.contains("without")) {
          g.addNode(node("Split", "split", new String[] {"x"}, new String[] {"a", "b"}, i("axis", 1)));
        } else {
          g.addNode(node("Split", "split", new String[] {"x"}, new String[] {"a", "b"}, i("axis", 1),
              ints("split", 2, 4)));
        }
        g.addNode(node("Concat", "concat", new String[] {"b", "a"}, new String[] {"y"}, i("axis", 1)));
      }
      case "reducesum" -> g.addInput(floatInfo("x", -1, 3, 4))
          .addNode(node("ReduceSum", "reducesum", new String[] {"x"}, new String[] {"y"}, ints("axes", 2),
              i("keepdims", 0)));
      case "conv" -> g.addInput(floatInfo("x", -1, 2, 8, 8))
          .addInitializer(randomTensor("w", 1, 4, 2, 3, 3)).addInitializer(randomTensor("b", 2, 4))
          .addInitializer(int64Tensor("shape", new long[] {3}, 0, 4, 16))
          .addInitializer(randomTensor("dense", 3, 68, 3)).addInitializer(randomTensor("dense_bias", 4, 3))
          .addNode(node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"c"}, ints("kernel_shape", 3, 3),
              ints("pads", 1, 1, 1, 1)))
          .addNode(node("MaxPool", "maxpool", new String[] {"c"}, new String[] {"m"}, ints("kernel_shape", 2, 2),
              ints("strides", 2, 2)))
          .addNode(node("AveragePool", "avgpool", new String[] {"m"}, new String[] {"p"}, ints("kernel_shape", 2, 2),
              ints("strides", 1, 1), ints("pads", 0, 0, 1, 1)))
          .addNode(node("GlobalAveragePool", "gap", new String[] {"p"}, new String[] {"g"}))
          .addNode(node("Sigmoid", "sigmoid", new String[] {"p"}, new String[] {"s"}))
          .addNode(node("Mul", "mul", new String[] {"s", "g"}, new String[] {"sg"}))
          .addNode(node("Transpose", "transpose", new String[] {"sg"}, new String[] {"t"}, ints("perm", 0, 2, 3, 1)))
          .addNode(node("Reshape", "reshape", new String[] {"t", "shape"}, new String[] {"r"}))
          .addNode(node("Flatten", "flatten", new String[] {"r"}, new String[] {"fl"}, i("axis", 1)))
          .addNode(node("Flatten", "flatten_g", new String[] {"g"}, new String[] {"g2"}, i("axis", 1)))
          .addNode(node("Concat", "concat", new String[] {"fl", "g2"}, new String[] {"cat"}, i("axis", 1)))
          .addNode(node("Gemm", "gemm", new String[] {"cat", "dense", "dense_bias"}, new String[] {"y"}));
      default -> throw new IllegalArgumentException(name);
    }
    return g;
  }

  private static OnnxMl.TensorProto positive(String name, int n) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1).addDims(n);
    for (int k = 0; k < n; k++) {
      t.addFloatData(0.5f + k);
    }
    return t.build();
  }

  @Test
  void theConv1dClassifierMovesReduceMeanAxesToAnInputAt18() throws Exception {
    Path file = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), 16, 4, 2, 3, 3, 5);
    OnnxMl.ModelProto source = OnnxModelFile.read(file);

    OnnxMl.ModelProto upgraded = OpsetConverter.upgrade(source, 18);

    OnnxModelFile.writeChecked(upgraded, dir.resolve("conv18.onnx"));
    OnnxMl.NodeProto reduce = upgraded.getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("ReduceMean")).findFirst().orElseThrow();
    assertThat(reduce.getInputCount()).isEqualTo(2);
    assertThat(reduce.getAttributeList()).extracting(OnnxMl.AttributeProto::getName).containsExactly("keepdims");
    assertThat(upgraded.getIrVersion()).isGreaterThanOrEqualTo(8);
    assertThat(OutputComparison.maxAbsDifference(source, upgraded, 3, 1).values())
        .allSatisfy(d -> assertThat(d).isLessThan(1e-6));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "downgrade | 13 | 11 | --opset 11 is below the model's opset 13: downgrades are not supported",
      "resize | 11 | 13 | op Resize (node 'resize') is not among the ops convert carries from opset 11 to 13",
      "batchnormalization spatial=0 | 8 | 13 | op BatchNormalization (node 'bn'), changed at opset 9 between opset 8"
          + " and 13: spatial=0",
      "cast | 5 | 13 | op Cast (node 'cast') changed at opset 6, between opset 5 and 13, in a way convert does not"
          + " carry",
      "beyond | 13 | 22 | --opset 22 is above 21",
  })
  void refusesWhatItCannotCarry(String name, int from, int to, String message) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("t").addOutput(floatInfo("y"))
        .addInput(floatInfo("x", 1, 3, 4));
    switch (name.split(" ")[0]) {
      case "resize" -> g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("roi").setDataType(1).addDims(0))
          .addInitializer(OnnxMl.TensorProto.newBuilder().setName("scales").setDataType(1).addDims(3)
              .addFloatData(1).addFloatData(1).addFloatData(2))
          .addNode(node("Resize", "resize", new String[] {"x", "roi", "scales"}, new String[] {"y"}));
      case "batchnormalization" -> g.addInitializer(randomTensor("s", 1, 3)).addInitializer(randomTensor("b", 2, 3))
          .addNode(node("BatchNormalization", "bn", new String[] {"x", "s", "b", "s", "s"}, new String[] {"y"},
              i("spatial", 0)));
      case "cast" -> g.addNode(node("Cast", "cast", new String[] {"x"}, new String[] {"y"}, i("to", 1)));
      default -> g.addNode(node("Relu", "relu", new String[] {"x"}, new String[] {"y"}));
    }

    assertThatThrownBy(() -> OpsetConverter.upgrade(TestGraphs.model(g, from), to))
        .isInstanceOf(ConversionException.class).hasMessageContaining(message);
  }
}
