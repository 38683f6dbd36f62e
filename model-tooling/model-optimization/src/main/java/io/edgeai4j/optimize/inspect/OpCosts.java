package io.edgeai4j.optimize.inspect;

import io.edgeai4j.optimize.onnx.OnnxProtos;
import ai.onnx.proto.OnnxMl;
import java.util.Set;
import java.util.function.Function;

/**
 * Estimated multiply-accumulates and floating-point operations of one node from the shapes of its inputs and outputs.
 * MACs: Conv (and ConvInteger, QLinearConv) {@code output elements x Cin/group x kernel elements}; ConvTranspose
 * {@code input elements x Cout/group x kernel elements}; MatMul, Gemm (and their integer/QLinear forms)
 * {@code M x N x K}. FLOPs: {@code 2 x MACs} (plus one add per output for a bias); elementwise ops one per output
 * element; pooling one per window element; reductions and GlobalAveragePool one per input element; Softmax and
 * LogSoftmax three per element; BatchNormalization two per element. Ops that only move or reshape data cost 0. Any
 * other op is not counted (see {@link #counted}).
 */
final class OpCosts {
  /** MACs and FLOPs of a node. */
  record Cost(long macs, long flops) {}

  static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "PRelu", "Sigmoid",
      "HardSigmoid", "Tanh", "Clip", "Exp", "Log", "Sqrt", "Pow", "Neg", "Abs", "Max", "Min", "Sum", "Mean", "Erf",
      "Elu", "Selu", "Softplus", "HardSwish", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Gelu", "Where",
      "Equal", "Less", "Greater", "Not", "And", "Or", "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
      "QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu");
  static final Set<String> DATA_MOVEMENT = Set.of("Reshape", "Flatten", "Transpose", "Concat", "Squeeze", "Unsqueeze",
      "Identity", "Cast", "Dropout", "Gather", "Shape", "Slice", "Split", "Pad", "Expand", "Tile", "Constant",
      "ConstantOfShape", "Size", "QLinearConcat");
  static final Set<String> REDUCTIONS = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
      "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "GlobalAveragePool",
      "GlobalMaxPool", "QLinearGlobalAveragePool", "ArgMax", "ArgMin");
  static final Set<String> CONV = Set.of("Conv", "ConvInteger", "QLinearConv");
  static final Set<String> MATMUL = Set.of("MatMul", "MatMulInteger", "QLinearMatMul", "Gemm");
  static final Set<String> POOL = Set.of("MaxPool", "AveragePool", "QLinearAveragePool", "LpPool");
  static final Set<String> SOFTMAX = Set.of("Softmax", "LogSoftmax", "Hardmax");

  private OpCosts() {}

  /** Whether the op's cost is estimated (otherwise {@link #of} answers zero and the report lists it as not counted). */
  static boolean counted(String opType) {
    return ELEMENTWISE.contains(opType) || DATA_MOVEMENT.contains(opType) || REDUCTIONS.contains(opType)
        || CONV.contains(opType) || MATMUL.contains(opType) || POOL.contains(opType) || SOFTMAX.contains(opType)
        || opType.equals("ConvTranspose") || opType.equals("BatchNormalization");
  }

  /**
   * The cost of {@code node}; {@code shapes} gives the shape of a tensor by name (null when unknown).
   *
   * @throws IllegalArgumentException When a shape the formula needs is unknown.
   */
  static Cost of(OnnxMl.NodeProto node, Function<String, long[]> shapes) {
    String op = node.getOpType();
    long out = node.getOutputCount() == 0 ? 0 : elements(shape(shapes, node.getOutput(0), node));
    if (CONV.contains(op)) {
      long[] w = shape(shapes, node.getInput(op.equals("QLinearConv") ? 3 : 1), node);
      long macs = out * product(w, 1);
      boolean bias = op.equals("Conv") ? node.getInputCount() > 2 && !node.getInput(2).isEmpty()
          : op.equals("QLinearConv") && node.getInputCount() > 8 && !node.getInput(8).isEmpty();
      return new Cost(macs, 2 * macs + (bias ? out : 0));
    }
    if (op.equals("ConvTranspose")) {
      long[] w = shape(shapes, node.getInput(1), node);
      long in = elements(shape(shapes, node.getInput(0), node));
      long macs = in * product(w, 1);
      return new Cost(macs, 2 * macs);
    }
    if (MATMUL.contains(op)) {
      long[] a = shape(shapes, node.getInput(0), node);
      long k;
      if (op.equals("Gemm")) {
        k = OnnxProtos.intAttribute(node, "transA", 0) != 0 ? a[0] : a[a.length - 1];
      } else {
        k = a[a.length - 1];
      }
      long macs = out * k;
      boolean bias = op.equals("Gemm") && node.getInputCount() > 2 && !node.getInput(2).isEmpty();
      return new Cost(macs, 2 * macs + (bias ? out : 0));
    }
    if (ELEMENTWISE.contains(op)) {
      return new Cost(0, out);
    }
    if (DATA_MOVEMENT.contains(op)) {
      return new Cost(0, 0);
    }
    if (REDUCTIONS.contains(op)) {
      return new Cost(0, elements(shape(shapes, node.getInput(0), node)));
    }
    if (POOL.contains(op)) {
      long window = 1;
      for (OnnxMl.AttributeProto a : node.getAttributeList()) {
        if (a.getName().equals("kernel_shape")) {
          for (long d : a.getIntsList()) {
            window *= d;
          }
        }
      }
      return new Cost(0, out * window);
    }
    if (SOFTMAX.contains(op)) {
      return new Cost(0, 3 * out);
    }
    if (op.equals("BatchNormalization")) {
      return new Cost(0, 2 * out);
    }
    return new Cost(0, 0);
  }

  private static long[] shape(Function<String, long[]> shapes, String name, OnnxMl.NodeProto node) {
    long[] shape = shapes.apply(name);
    if (shape == null) {
      throw new IllegalArgumentException("node '" + node.getName() + "' (" + node.getOpType() + "): the shape of '"
          + name + "' is unknown");
    }
    return shape;
  }

  static long elements(long[] shape) {
    return product(shape, 0);
  }

  private static long product(long[] shape, int from) {
    long n = 1;
    for (int i = from; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** Whether the op marks a quantized model: Q/DQ, QLinear*, *Integer. */
  static boolean quantized(String opType) {
    return opType.equals("QuantizeLinear") || opType.equals("DequantizeLinear")
        || opType.equals("DynamicQuantizeLinear") || opType.startsWith("QLinear") || opType.endsWith("Integer");
  }
}
