package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts one part out of a graph: the nodes that compute {@code targets} from {@code sources}, with only the
 * initializers and value_info they read; a target that is also a source passes through (a graph output that is the
 * graph input of the same name). Stateless.
 */
final class PartBuilder {
  private PartBuilder() {}

  /**
   * The part computing {@code targets} from {@code sources} (and initializers, and nodes that read no input).
   *
   * @throws SplitException When a target needs a graph input that is not a source, or a tensor no one defines.
   */
  static ModelPart build(OnnxMl.ModelProto model, Graph g, List<String> sources, List<String> targets,
      Map<String, OnnxMl.ValueInfoProto> infos, String fileName, int stage, String description)
      throws SplitException {
    Set<String> available = new HashSet<>(sources);
    Set<String> usedSources = new HashSet<>();
    Set<String> usedInitializers = new HashSet<>();
    Set<Integer> needed = new TreeSet<>();
    Deque<String> pending = new ArrayDeque<>(targets);
    Set<String> visited = new HashSet<>();
    while (!pending.isEmpty()) {
      String t = pending.pop();
      if (!visited.add(t)) {
        continue;
      }
      if (available.contains(t)) {
        usedSources.add(t);
      } else if (g.initializers.contains(t)) {
        usedInitializers.add(t);
      } else if (g.producer.containsKey(t)) {
        int n = g.producer.get(t);
        if (needed.add(n)) {
          pending.addAll(g.nodeInputs.get(n));
        }
      } else if (g.inputs.contains(t)) {
        throw new SplitException(description + " needs the model input '" + t + "', which is not among its"
            + " inputs " + sources);
      } else {
        throw new SplitException("tensor '" + t + "' is read but defined nowhere in the graph (not an input, an"
            + " initializer or a node output)");
      }
    }
    List<String> inputs = sources.stream().filter(usedSources::contains).toList();
    OnnxMl.GraphProto original = g.proto;
    OnnxMl.GraphProto.Builder part = OnnxMl.GraphProto.newBuilder()
        .setName((original.getName().isEmpty() ? "graph" : original.getName()) + "_" + fileName.replace(".onnx", ""));
    for (String in : inputs) {
      part.addInput(infos.get(in));
    }
    for (OnnxMl.ValueInfoProto in : original.getInputList()) {
      if (usedInitializers.contains(in.getName())) {
        part.addInput(in);
      }
    }
    for (OnnxMl.TensorProto t : original.getInitializerList()) {
      if (usedInitializers.contains(t.getName())) {
        part.addInitializer(t);
      }
    }
    for (OnnxMl.SparseTensorProto t : original.getSparseInitializerList()) {
      if (usedInitializers.contains(t.getValues().getName())) {
        part.addSparseInitializer(t);
      }
    }
    Set<String> produced = new LinkedHashSet<>();
    for (int n : needed) {
      part.addNode(g.nodes.get(n));
      produced.addAll(g.nodes.get(n).getOutputList());
    }
    for (String out : targets) {
      part.addOutput(infos.get(out));
    }
    Set<String> boundary = new HashSet<>(inputs);
    boundary.addAll(targets);
    for (OnnxMl.ValueInfoProto v : original.getValueInfoList()) {
      if (produced.contains(v.getName()) && !boundary.contains(v.getName())) {
        part.addValueInfo(v);
      }
    }
    OnnxMl.ModelProto partModel = model.toBuilder().setGraph(part).build();
    return new ModelPart(fileName, partModel, inputs, new ArrayList<>(targets), stage);
  }
}
