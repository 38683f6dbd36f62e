package io.edgeai4j.optimize.partition;

import ai.onnx.proto.OnnxMl;
import java.util.HashSet;
import java.util.Set;

/**
 * Gives every node of a model a unique, non-empty name, so that ONNX Runtime's profiler events ({@code
 * <node>_kernel_time}) and the planner's cuts name the same nodes: an unnamed node becomes {@code <OpType>_<index>}, a
 * repeated name gets {@code _<index>} appended (index: the node's position in the graph). Profile and plan both apply
 * it to the same model file, so their names agree. Stateless.
 */
public final class NodeNames {
  private NodeNames() {}

  /** The model itself when its node names are already unique and non-empty, else a copy with names given. */
  public static OnnxMl.ModelProto named(OnnxMl.ModelProto model) {
    Set<String> seen = new HashSet<>();
    boolean fine = true;
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (node.getName().isEmpty() || !seen.add(node.getName())) {
        fine = false;
        break;
      }
    }
    if (fine) {
      return model;
    }
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
    Set<String> taken = new HashSet<>();
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      taken.add(node.getName());
    }
    Set<String> used = new HashSet<>();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      String name = graph.getNode(i).getName();
      if (name.isEmpty()) {
        name = graph.getNode(i).getOpType() + "_" + i;
      } else if (used.contains(name)) {
        name = name + "_" + i;
      }
      while (used.contains(name) || (!name.equals(graph.getNode(i).getName()) && taken.contains(name))) {
        name = name + "_";
      }
      used.add(name);
      graph.setNode(i, graph.getNode(i).toBuilder().setName(name));
    }
    return model.toBuilder().setGraph(graph).build();
  }
}
