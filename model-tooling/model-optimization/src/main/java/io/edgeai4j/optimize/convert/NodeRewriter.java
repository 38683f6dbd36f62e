package io.edgeai4j.optimize.convert;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Names, initializers and attribute moves shared by the graph rewrites of one conversion. Not thread-safe. */
final class NodeRewriter {
  private final Set<String> names = new HashSet<>();
  final List<OnnxMl.TensorProto> initializers = new ArrayList<>();

  NodeRewriter(OnnxMl.GraphProto graph) {
    graph.getInputList().forEach(v -> names.add(v.getName()));
    graph.getOutputList().forEach(v -> names.add(v.getName()));
    graph.getInitializerList().forEach(t -> names.add(t.getName()));
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      names.addAll(node.getInputList());
      names.addAll(node.getOutputList());
      names.add(node.getName());
    }
  }

  /** A tensor or node name not used in the graph, starting with {@code base}. */
  String unique(String base) {
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto node, String name) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  static OnnxMl.NodeProto.Builder without(OnnxMl.NodeProto node, String... attributes) {
    OnnxMl.NodeProto.Builder b = node.toBuilder().clearAttribute();
    outer:
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      for (String drop : attributes) {
        if (a.getName().equals(drop)) {
          continue outer;
        }
      }
      b.addAttribute(a);
    }
    return b;
  }

  /** A new int64 initializer holding {@code values} as a 1-D tensor; answers its name. */
  String int64s(String base, List<Long> values) {
    String name = unique(base);
    initializers.add(OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.size())
        .addAllInt64Data(values).build());
    return name;
  }

  /** A new float32 scalar initializer; answers its name. */
  String floatScalar(String base, float value) {
    String name = unique(base);
    initializers.add(OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(value).build());
    return name;
  }

  /**
   * Moves an ints attribute to the input at {@code index} (as an int64 initializer), filling skipped optional inputs
   * with "". A node without the attribute is returned as it is.
   */
  OnnxMl.NodeProto intsToInput(OnnxMl.NodeProto node, String attribute, int index) {
    OnnxMl.AttributeProto a = attribute(node, attribute);
    if (a == null) {
      return node;
    }
    OnnxMl.NodeProto.Builder b = without(node, attribute);
    setInput(b, index, int64s(base(node) + "_" + attribute, a.getIntsList()));
    return b.build();
  }

  /** Moves a float attribute to the input at {@code index} as a scalar initializer. */
  OnnxMl.NodeProto.Builder floatToInput(OnnxMl.NodeProto.Builder b, OnnxMl.NodeProto node, String attribute,
      int index) {
    OnnxMl.AttributeProto a = attribute(node, attribute);
    if (a != null) {
      setInput(b, index, floatScalar(base(node) + "_" + attribute, a.getF()));
    }
    return b;
  }

  static void setInput(OnnxMl.NodeProto.Builder b, int index, String name) {
    while (b.getInputCount() <= index) {
      b.addInput("");
    }
    b.setInput(index, name);
  }

  static String base(OnnxMl.NodeProto node) {
    return node.getName().isEmpty() ? node.getOutput(0) : node.getName();
  }
}
