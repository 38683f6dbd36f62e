package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import java.util.HashSet;
import java.util.Set;

/** New tensor and node names that no name of the graph (or one given before) already takes. Not thread-safe. */
final class UniqueNames {
  private final Set<String> taken = new HashSet<>();

  UniqueNames(OnnxMl.GraphProto g) {
    g.getInputList().forEach(v -> taken.add(v.getName()));
    g.getOutputList().forEach(v -> taken.add(v.getName()));
    g.getValueInfoList().forEach(v -> taken.add(v.getName()));
    g.getInitializerList().forEach(t -> taken.add(t.getName()));
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      taken.add(n.getName());
      taken.addAll(n.getInputList());
      taken.addAll(n.getOutputList());
    }
  }

  /** {@code wanted}, or {@code wanted_2}, {@code wanted_3}, ... when it is taken; the name returned is then taken. */
  String fresh(String wanted) {
    String name = wanted;
    for (int i = 2; !taken.add(name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }
}
