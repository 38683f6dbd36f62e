package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The versions at which each default-domain op that {@link OpsetConverter} carries changed (from ONNX's operator
 * changelog), and what the upgrade does at each: nothing (the new version only adds types, optional attributes with
 * the old behaviour as default, or clarifies), or a rewrite. A change without a rewrite here is refused.
 */
final class OpsetChanges {
  /** What an upgrade across one version change does to a node: the nodes that replace it. */
  interface Change {
    List<OnnxMl.NodeProto> apply(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks)
        throws ConversionException;
  }

  /** Ranks of tensors when known (from an ONNX Runtime run on the source model), -1 when not. */
  interface Ranks {
    int of(String tensor);
  }

  static final Change NONE = (node, rewriter, ranks) -> List.of(node);

  private static final Map<String, TreeMap<Integer, Change>> CHANGES = new HashMap<>();

  static {
    Change dropConsumedInputs = drop("consumed_inputs");
    Change dropIsTest = drop("is_test");
    for (String op : List.of("Add", "Sub", "Mul", "Div")) {
      on(op, 6, dropConsumedInputs);
      on(op, 7, OpsetChanges::numpyBroadcast);
      on(op, 13, NONE);
      on(op, 14, NONE);
    }
    on("Conv", 11, NONE);
    on("Conv", 22, NONE);
    on("MatMul", 9, NONE);
    on("MatMul", 13, NONE);
    on("Gemm", 6, dropConsumedInputs);
    on("Gemm", 7, drop("broadcast"));
    for (int v : new int[] {9, 11, 13}) {
      on("Gemm", v, NONE);
    }
    on("Relu", 6, dropConsumedInputs);
    on("Relu", 13, NONE);
    on("Relu", 14, NONE);
    for (String op : List.of("Sigmoid", "Tanh")) {
      on(op, 6, dropConsumedInputs);
      on(op, 13, NONE);
    }
    on("Clip", 6, dropConsumedInputs);
    on("Clip", 11, OpsetChanges::clipBoundsToInputs);
    on("Clip", 12, NONE);
    on("Clip", 13, NONE);
    for (int v : new int[] {8, 10, 11, 12, 22}) {
      on("MaxPool", v, NONE);
    }
    for (int v : new int[] {7, 10, 11, 19, 22}) {
      on("AveragePool", v, NONE);
    }
    on("GlobalAveragePool", 22, NONE);
    on("Concat", 4, OpsetChanges::concatAxis);
    on("Concat", 11, NONE);
    on("Concat", 13, NONE);
    for (int v : new int[] {13, 14, 19, 21}) {
      on("Reshape", v, NONE);
    }
    for (int v : new int[] {9, 11, 13, 21}) {
      on("Flatten", v, NONE);
    }
    on("Transpose", 13, NONE);
    on("Transpose", 21, NONE);
    for (String op : List.of("Softmax", "LogSoftmax", "Hardmax")) {
      on(op, 11, NONE);
      on(op, 13, OpsetChanges::softmaxSingleAxis);
    }
    for (String op : List.of("Squeeze", "Unsqueeze")) {
      on(op, 11, NONE);
      on(op, 13, (node, rewriter, ranks) -> List.of(rewriter.intsToInput(node, "axes", 1)));
      on(op, 21, NONE);
    }
    on("BatchNormalization", 6, dropConsumedInputs);
    on("BatchNormalization", 7, dropIsTest);
    on("BatchNormalization", 9, OpsetChanges::batchNormSpatial);
    on("BatchNormalization", 14, OpsetChanges::oneOutput);
    on("BatchNormalization", 15, NONE);
    on("Dropout", 6, dropConsumedInputs);
    on("Dropout", 7, dropIsTest);
    on("Dropout", 10, OpsetChanges::oneOutput);
    on("Dropout", 12, (node, rewriter, ranks) ->
        List.of(rewriter.floatToInput(NodeRewriter.without(node, "ratio"), node, "ratio", 1).build()));
    on("Dropout", 13, NONE);
    on("Dropout", 22, NONE);
    for (String op : List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare")) {
      on(op, 11, NONE);
      on(op, 13, NONE);
      on(op, 18, (node, rewriter, ranks) -> List.of(rewriter.intsToInput(node, "axes", 1)));
    }
    for (String op : List.of("ReduceMax", "ReduceMin")) {
      on(op, 12, NONE);
      on(op, 20, NONE);
    }
    on("ReduceSum", 11, NONE);
    on("ReduceSum", 13, (node, rewriter, ranks) -> List.of(rewriter.intsToInput(node, "axes", 1)));
    on("Split", 11, NONE);
    on("Split", 13, (node, rewriter, ranks) -> List.of(rewriter.intsToInput(node, "split", 1)));
    on("Split", 18, OpsetChanges::splitNumOutputs);
    on("Pad", 11, OpsetChanges::padToInputs);
    for (int v : new int[] {13, 18, 19, 21}) {
      on("Pad", v, NONE);
    }
    for (int v : new int[] {13, 14, 16, 19, 21}) {
      on("Identity", v, NONE);
    }
    for (int v : new int[] {9, 13, 19, 21}) {
      on("Cast", v, NONE);
    }
    for (int v : new int[] {13, 15, 19, 21}) {
      on("Shape", v, NONE);
    }
    on("Gather", 11, NONE);
    on("Gather", 13, NONE);
    for (int v : new int[] {9, 11, 12, 13, 19, 21}) {
      on("Constant", v, NONE);
    }
    // Known changes that are refused: Reshape 5 (shape attribute to input), Cast 6 ('to' from string to int),
    // Pad 2 ('paddings' renamed 'pads'), Concat 1->4 is handled; ops before opset 6 otherwise refused by absence.
    on("Reshape", 5, null);
    on("Cast", 6, null);
    on("Pad", 2, null);
    on("Split", 2, null);
  }

  private OpsetChanges() {}

  private static void on(String op, int version, Change change) {
    CHANGES.computeIfAbsent(op, k -> new TreeMap<>()).put(version, change);
  }

  /** The ops this table knows. */
  static Set<String> ops() {
    return CHANGES.keySet();
  }

  /** The changes of {@code op} in {@code (from, to]}, version to change (null: refused); null when op is unknown. */
  static Map<Integer, Change> between(String op, long from, long to) {
    TreeMap<Integer, Change> changes = CHANGES.get(op);
    if (changes == null) {
      return null;
    }
    return changes.subMap((int) from, false, (int) to, true);
  }

  private static Change drop(String attribute) {
    return (node, rewriter, ranks) -> List.of(NodeRewriter.without(node, attribute).build());
  }

  /** Add-7 and after broadcast numpy-style; before, only with broadcast=1, trailing-aligned unless 'axis' is set. */
  private static List<OnnxMl.NodeProto> numpyBroadcast(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks)
      throws ConversionException {
    if (NodeRewriter.attribute(node, "axis") != null) {
      throw new ConversionException("its 'axis' attribute (broadcast aligned at an axis) has no equivalent in"
          + " numpy-style broadcasting");
    }
    return List.of(NodeRewriter.without(node, "broadcast").build());
  }

  private static List<OnnxMl.NodeProto> clipBoundsToInputs(OnnxMl.NodeProto node, NodeRewriter rewriter,
      Ranks ranks) {
    OnnxMl.NodeProto.Builder b = NodeRewriter.without(node, "min", "max");
    rewriter.floatToInput(b, node, "min", 1);
    rewriter.floatToInput(b, node, "max", 2);
    return List.of(b.build());
  }

  private static List<OnnxMl.NodeProto> concatAxis(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks) {
    if (NodeRewriter.attribute(node, "axis") != null) {
      return List.of(node);
    }
    return List.of(node.toBuilder().addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)).build());
  }

  /**
   * Softmax before 13 flattens the input to 2-D at 'axis' (default 1) and normalizes each row; from 13 it normalizes
   * along 'axis' alone. Equal when 'axis' is the last dimension; otherwise Flatten, Softmax over the last axis, and a
   * Reshape back to the input's shape do what the old op did.
   */
  private static List<OnnxMl.NodeProto> softmaxSingleAxis(OnnxMl.NodeProto node, NodeRewriter rewriter,
      Ranks ranks) {
    OnnxMl.AttributeProto a = NodeRewriter.attribute(node, "axis");
    long axis = a == null ? 1 : a.getI();
    int rank = ranks.of(node.getInput(0));
    if (axis == -1 || (rank > 0 && axis == rank - 1)) {
      return List.of(NodeRewriter.without(node, "axis").addAttribute(intAttribute("axis", -1)).build());
    }
    String base = NodeRewriter.base(node);
    String shape = rewriter.unique(base + "_input_shape");
    String flat = rewriter.unique(base + "_flat");
    String normalized = rewriter.unique(base + "_rows");
    return List.of(
        OnnxMl.NodeProto.newBuilder().setOpType("Shape").setName(rewriter.unique(base + "_shape"))
            .addInput(node.getInput(0)).addOutput(shape).build(),
        OnnxMl.NodeProto.newBuilder().setOpType("Flatten").setName(rewriter.unique(base + "_flatten"))
            .addInput(node.getInput(0)).addOutput(flat).addAttribute(intAttribute("axis", axis)).build(),
        NodeRewriter.without(node, "axis").setInput(0, flat).setOutput(0, normalized)
            .addAttribute(intAttribute("axis", -1)).build(),
        OnnxMl.NodeProto.newBuilder().setOpType("Reshape").setName(rewriter.unique(base + "_reshape"))
            .addInput(normalized).addInput(shape).addOutput(node.getOutput(0)).build());
  }

  private static List<OnnxMl.NodeProto> batchNormSpatial(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks)
      throws ConversionException {
    OnnxMl.AttributeProto spatial = NodeRewriter.attribute(node, "spatial");
    if (spatial != null && spatial.getI() == 0) {
      throw new ConversionException("spatial=0 (per-element statistics) has no equivalent after opset 9");
    }
    return List.of(NodeRewriter.without(node, "spatial").build());
  }

  private static List<OnnxMl.NodeProto> oneOutput(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks)
      throws ConversionException {
    long used = node.getOutputList().stream().filter(o -> !o.isEmpty()).count();
    if (used > 1) {
      throw new ConversionException("its optional outputs (" + used + " used) changed meaning; only the inference"
          + " form with one output is carried");
    }
    return List.of(node);
  }

  private static List<OnnxMl.NodeProto> splitNumOutputs(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks) {
    if (node.getInputCount() > 1 && !node.getInput(1).isEmpty()) {
      return List.of(node);
    }
    return List.of(node.toBuilder().addAttribute(intAttribute("num_outputs", node.getOutputCount())).build());
  }

  private static List<OnnxMl.NodeProto> padToInputs(OnnxMl.NodeProto node, NodeRewriter rewriter, Ranks ranks) {
    OnnxMl.NodeProto.Builder b = NodeRewriter.without(node, "pads", "value");
    OnnxMl.AttributeProto pads = NodeRewriter.attribute(node, "pads");
    if (pads == null) {
      return List.of(node);
    }
    NodeRewriter.setInput(b, 1, rewriter.int64s(NodeRewriter.base(node) + "_pads", pads.getIntsList()));
    rewriter.floatToInput(b, node, "value", 2);
    return List.of(b.build());
  }

  private static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setI(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).build();
  }
}
