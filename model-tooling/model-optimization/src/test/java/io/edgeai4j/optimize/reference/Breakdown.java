package io.edgeai4j.optimize.reference;

import ai.onnx.proto.OnnxMl;
import java.util.Map;
import java.util.TreeMap;

/** Where a model's bytes go: initializer values, and the names that nodes and tensors carry. */
record Breakdown(long total, long initializerValues, int initializers, long nameBytes, int nodes,
    Map<String, Integer> ops) {
  static Breakdown of(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto g = model.getGraph();
    long values = 0;
    long names = 0;
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      values += t.getRawData().size() + 4L * t.getFloatDataCount() + 4L * t.getInt32DataCount()
          + 8L * t.getInt64DataCount();
      names += t.getName().length();
    }
    Map<String, Integer> ops = new TreeMap<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      ops.merge(n.getOpType(), 1, Integer::sum);
      names += n.getName().length();
      for (String s : n.getInputList()) {
        names += s.length();
      }
      for (String s : n.getOutputList()) {
        names += s.length();
      }
    }
    return new Breakdown(model.getSerializedSize(), values, g.getInitializerCount(), names, g.getNodeCount(), ops);
  }
}
