package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import java.util.Set;

/**
 * Raises a model's default-domain opset to the one Q/DQ needs when every op of the model carries over unchanged, and
 * refuses naming the op that does not. Stateless.
 */
final class Opsets {
  /** Ops whose definitions from opset 7 to 13 take the same attributes and inputs (only added types or versions). */
  private static final Set<String> CARRIED = Set.of("Conv", "MatMul", "Gemm", "Add", "Mul", "Sub", "Div", "Relu",
      "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Concat", "Reshape",
      "Flatten", "Transpose", "ReduceMean", "ReduceMax", "ReduceMin", "Identity", "Gather", "Exp", "Log", "Sqrt",
      "Abs", "Neg", "LeakyRelu", "Elu", "Cast", "Shape", "Constant", "Sum", "Max", "Min", "Pow", "Equal", "Greater",
      "Less", "Not", "And", "Or", "Where", "ConvTranspose", "Floor", "Ceil", "Reciprocal", "HardSigmoid", "Softplus",
      "Softsign", "PRelu", "LRN", "InstanceNormalization", "Tile", "ArgMax", "ArgMin", "MatMulInteger",
      "QuantizeLinear", "DequantizeLinear");
  /** Ops that carry over from opset 11 on (their inputs or attributes changed at 11). */
  private static final Set<String> CARRIED_FROM_11 = Set.of("Clip", "Pad", "Resize", "Slice", "TopK",
      "BatchNormalization", "Expand", "Range", "ScatterND", "GatherND", "Round", "CumSum");
  /** Ops that carry over from opset 12 on. */
  private static final Set<String> CARRIED_FROM_12 = Set.of("Dropout", "Celu", "Einsum");

  private Opsets() {}

  /** The default-domain opset a model imports (1 when it imports none explicitly, as ONNX reads it). */
  static long version(OnnxMl.ModelProto model) {
    for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        return o.getVersion();
      }
    }
    return 1;
  }

  /**
   * The model at opset {@code needed} or above: as it is when it already is, else with its import raised (and its IR
   * version to at least 7).
   *
   * @param why What needs the opset, for the error.
   * @throws QuantizationException Naming the first op (and node) that cannot be carried to {@code needed}.
   */
  static OnnxMl.ModelProto atLeast(OnnxMl.ModelProto model, long needed, String why) throws QuantizationException {
    long version = version(model);
    if (version >= needed) {
      return model;
    }
    if (version < 7) {
      throw new QuantizationException("the model imports opset " + version + "; " + why + " needs opset " + needed
          + " and opsets below 7 are not upgraded here (their broadcasting rules differ): convert the model first");
    }
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
        continue;
      }
      String op = node.getOpType();
      boolean carried = CARRIED.contains(op) || (CARRIED_FROM_11.contains(op) && version >= 11)
          || (CARRIED_FROM_12.contains(op) && version >= 12);
      if (!carried) {
        throw new QuantizationException("the model imports opset " + version + "; " + why + " needs opset " + needed
            + ", and op " + op + " (node '" + node.getName() + "') cannot be carried from opset " + version
            + " to " + needed + " unchanged; convert the model to opset " + needed + " first");
      }
    }
    OnnxMl.ModelProto.Builder b = model.toBuilder().clearOpsetImport();
    boolean replaced = false;
    for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        b.addOpsetImport(o.toBuilder().setVersion(needed));
        replaced = true;
      } else {
        b.addOpsetImport(o);
      }
    }
    if (!replaced) {
      b.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(needed));
    }
    if (b.getIrVersion() < 7) {
      b.setIrVersion(7);
    }
    return b.build();
  }
}
