package io.edgeai4j.optimize.quantize;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks that every {@code --exclude} entry names a node or an op type of the model (a typo is not ignored). */
final class Exclusions {
  private Exclusions() {}

  static void check(OnnxMl.GraphProto graph, Set<String> exclude) throws QuantizationException {
    Set<String> ops = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      ops.add(n.getOpType());
      names.add(n.getName());
    }
    List<String> unknown = new ArrayList<>();
    for (String e : new TreeSet<>(exclude)) {
      if (!ops.contains(e) && !names.contains(e)) {
        unknown.add(e);
      }
    }
    if (!unknown.isEmpty()) {
      throw new QuantizationException("--exclude " + String.join(",", unknown) + ": no node of the model has that"
          + " name or op type; expected a node name or one of the model's op types " + ops);
    }
  }
}
