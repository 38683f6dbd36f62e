package io.edgeai4j.optimize.split;

import static io.edgeai4j.optimize.inspect.TestGraphs.floatInfo;
import static io.edgeai4j.optimize.inspect.TestGraphs.i;
import static io.edgeai4j.optimize.inspect.TestGraphs.ints;
import static io.edgeai4j.optimize.inspect.TestGraphs.model;
import static io.edgeai4j.optimize.inspect.TestGraphs.node;
import static io.edgeai4j.optimize.inspect.TestGraphs.randomTensor;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;

/** The test models of the split tests, built with the ONNX protobuf classes (no value_info: shapes are probed). */
final class SplitModels {
  static final Path FASHION_CNN = Path.of("src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");

  private SplitModels() {}

  /**
   * A chain CNN: {@code input [batch,1,8,8] -> conv1 -> relu1 -> pool1 -> conv2 -> relu2 -> gap -> flat -> fc ->
   * output [batch,3]} (softmax), each node's output named as the node.
   */
  static OnnxMl.ModelProto chain() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("chain")
        .addInput(floatInfo("input", -1, 1, 8, 8)).addOutput(floatInfo("output", -1, 3))
        .addInitializer(randomTensor("w1", 1, 4, 1, 3, 3)).addInitializer(randomTensor("b1", 2, 4))
        .addInitializer(randomTensor("w2", 3, 6, 4, 3, 3)).addInitializer(randomTensor("b2", 4, 6))
        .addInitializer(randomTensor("wfc", 5, 3, 6)).addInitializer(randomTensor("bfc", 6, 3))
        .addNode(conv("conv1", "input", "w1", "b1", "conv1"))
        .addNode(node("Relu", "relu1", new String[] {"conv1"}, new String[] {"relu1"}))
        .addNode(node("MaxPool", "pool1", new String[] {"relu1"}, new String[] {"pool1"},
            ints("kernel_shape", 2, 2), ints("strides", 2, 2)))
        .addNode(conv("conv2", "pool1", "w2", "b2", "conv2"))
        .addNode(node("Relu", "relu2", new String[] {"conv2"}, new String[] {"relu2"}))
        .addNode(node("GlobalAveragePool", "gap", new String[] {"relu2"}, new String[] {"gap"}))
        .addNode(node("Flatten", "flat", new String[] {"gap"}, new String[] {"flat"}, i("axis", 1)))
        .addNode(node("Gemm", "fc", new String[] {"flat", "wfc", "bfc"}, new String[] {"fc"}, i("transB", 1)))
        .addNode(node("Softmax", "softmax", new String[] {"fc"}, new String[] {"output"}, i("axis", 1)));
    return model(g, 13);
  }

  /**
   * A DAG with a residual Add and a branch: {@code input [batch,2,8,8]}; {@code conv1 -> c1 -> relu1 -> conv2 -> c2};
   * {@code input -> conv_skip -> skip}; {@code add(c2, skip) -> sum -> relu2 -> relu2}; {@code relu2 -> conv3a -> a}
   * and {@code relu2 -> conv3b -> b}; {@code concat(a, b) -> cat -> gap -> pooled -> flatten -> flat -> fc -> output
   * [batch,5]}.
   */
  static OnnxMl.ModelProto dag() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("dag")
        .addInput(floatInfo("input", -1, 2, 8, 8)).addOutput(floatInfo("output", -1, 5))
        .addInitializer(randomTensor("w1", 11, 4, 2, 3, 3)).addInitializer(randomTensor("b1", 12, 4))
        .addInitializer(randomTensor("w2", 13, 4, 4, 3, 3)).addInitializer(randomTensor("b2", 14, 4))
        .addInitializer(randomTensor("wskip", 15, 4, 2, 1, 1)).addInitializer(randomTensor("bskip", 16, 4))
        .addInitializer(randomTensor("w3a", 17, 3, 4, 3, 3)).addInitializer(randomTensor("b3a", 18, 3))
        .addInitializer(randomTensor("w3b", 19, 2, 4, 1, 1)).addInitializer(randomTensor("b3b", 20, 2))
        .addInitializer(randomTensor("wfc", 21, 5, 5)).addInitializer(randomTensor("bfc", 22, 5))
        .addNode(conv("conv1", "input", "w1", "b1", "c1"))
        .addNode(node("Relu", "relu1", new String[] {"c1"}, new String[] {"relu1"}))
        .addNode(conv("conv2", "relu1", "w2", "b2", "c2"))
        .addNode(node("Conv", "conv_skip", new String[] {"input", "wskip", "bskip"}, new String[] {"skip"},
            ints("kernel_shape", 1, 1)))
        .addNode(node("Add", "add", new String[] {"c2", "skip"}, new String[] {"sum"}))
        .addNode(node("Relu", "relu2", new String[] {"sum"}, new String[] {"relu2"}))
        .addNode(conv("conv3a", "relu2", "w3a", "b3a", "a"))
        .addNode(node("Conv", "conv3b", new String[] {"relu2", "w3b", "b3b"}, new String[] {"b"},
            ints("kernel_shape", 1, 1)))
        .addNode(node("Concat", "concat", new String[] {"a", "b"}, new String[] {"cat"}, i("axis", 1)))
        .addNode(node("GlobalAveragePool", "gap", new String[] {"cat"}, new String[] {"pooled"}))
        .addNode(node("Flatten", "flatten", new String[] {"pooled"}, new String[] {"flat"}, i("axis", 1)))
        .addNode(node("Gemm", "fc", new String[] {"flat", "wfc", "bfc"}, new String[] {"output"}, i("transB", 1)));
    return model(g, 13);
  }

  /**
   * A graph with an If whose branches read the outer tensor {@code r}: {@code input [batch,4] -> relu -> r};
   * {@code r -> total (ReduceSum) -> sum -> positive (Greater 0) -> cond}; {@code if (If cond)}: then {@code double
   * (Mul r 2) -> then_y}, else {@code negate (Neg r) -> else_y}; {@code if -> output}.
   */
  static OnnxMl.ModelProto withIf() {
    OnnxMl.GraphProto thenBranch = OnnxMl.GraphProto.newBuilder().setName("then")
        .addNode(node("Mul", "double", new String[] {"r", "two"}, new String[] {"then_y"}))
        .addOutput(floatInfo("then_y", -1, 4)).build();
    OnnxMl.GraphProto elseBranch = OnnxMl.GraphProto.newBuilder().setName("else")
        .addNode(node("Neg", "negate", new String[] {"r"}, new String[] {"else_y"}))
        .addOutput(floatInfo("else_y", -1, 4)).build();
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("with_if")
        .addInput(floatInfo("input", -1, 4)).addOutput(floatInfo("output", -1, 4))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("two").setDataType(1).addFloatData(2))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("zero").setDataType(1).addFloatData(0))
        .addNode(node("Relu", "relu", new String[] {"input"}, new String[] {"r"}))
        .addNode(node("ReduceSum", "total", new String[] {"r"}, new String[] {"sum"}, i("keepdims", 0)))
        .addNode(node("Greater", "positive", new String[] {"sum", "zero"}, new String[] {"cond"}))
        .addNode(node("If", "if", new String[] {"cond"}, new String[] {"output"},
            OnnxMl.AttributeProto.newBuilder().setName("then_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH)
                .setG(thenBranch).build(),
            OnnxMl.AttributeProto.newBuilder().setName("else_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH)
                .setG(elseBranch).build()));
    return model(g, 13);
  }

  /** A 3x3 Conv with padding 1 (same spatial size). */
  static OnnxMl.NodeProto conv(String name, String input, String weight, String bias, String output) {
    return node("Conv", name, new String[] {input, weight, bias}, new String[] {output}, ints("kernel_shape", 3, 3),
        ints("pads", 1, 1, 1, 1));
  }
}
