package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The dataflow of a model's main graph: who produces and who reads each tensor, nodes in topological order, and the
 * outer tensors each node's subgraphs (If, Loop, Scan) read, counted as inputs of that node. Immutable.
 */
final class Graph {
  final OnnxMl.GraphProto proto;
  /** Nodes in topological order. */
  final List<OnnxMl.NodeProto> nodes;
  /** Each node's inputs (explicit, then its subgraphs' outer references), without the empty optional ones. */
  final List<Set<String>> nodeInputs;
  final Map<String, Integer> producer = new HashMap<>();
  final Map<String, List<Integer>> consumers = new HashMap<>();
  final Set<String> initializers = new HashSet<>();
  /** Graph inputs that are not initializers, in graph order. */
  final List<String> inputs = new ArrayList<>();
  final List<String> outputs = new ArrayList<>();
  /** Tensors defined inside a node's subgraph, with that node's index. */
  final Map<String, Integer> subgraphTensors = new HashMap<>();

  Graph(OnnxMl.GraphProto proto) throws SplitException {
    this.proto = proto;
    proto.getInitializerList().forEach(t -> initializers.add(t.getName()));
    proto.getSparseInitializerList().forEach(t -> initializers.add(t.getValues().getName()));
    for (OnnxMl.ValueInfoProto in : proto.getInputList()) {
      if (!initializers.contains(in.getName())) {
        inputs.add(in.getName());
      }
    }
    proto.getOutputList().forEach(o -> outputs.add(o.getName()));
    this.nodes = topological(proto.getNodeList());
    this.nodeInputs = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      OnnxMl.NodeProto node = nodes.get(i);
      Set<String> reads = new LinkedHashSet<>();
      node.getInputList().stream().filter(s -> !s.isEmpty()).forEach(reads::add);
      for (OnnxMl.AttributeProto a : node.getAttributeList()) {
        List<OnnxMl.GraphProto> subgraphs = new ArrayList<>(a.getGraphsList());
        if (a.hasG()) {
          subgraphs.add(a.getG());
        }
        for (OnnxMl.GraphProto g : subgraphs) {
          Set<String> defined = new HashSet<>();
          outerReferences(g, defined, reads);
          for (String d : defined) {
            subgraphTensors.put(d, i);
          }
        }
      }
      nodeInputs.add(reads);
      for (String out : node.getOutputList()) {
        if (!out.isEmpty()) {
          producer.put(out, i);
        }
      }
      for (String in : reads) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
      }
    }
  }

  /** Collects into {@code reads} the names a subgraph reads from outer scopes, and into {@code defined} its own. */
  private static void outerReferences(OnnxMl.GraphProto g, Set<String> defined, Set<String> reads) {
    Set<String> local = new HashSet<>();
    g.getInputList().forEach(v -> local.add(v.getName()));
    g.getInitializerList().forEach(t -> local.add(t.getName()));
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      n.getOutputList().forEach(local::add);
    }
    defined.addAll(local);
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      for (String in : n.getInputList()) {
        if (!in.isEmpty() && !local.contains(in)) {
          reads.add(in);
        }
      }
      for (OnnxMl.AttributeProto a : n.getAttributeList()) {
        List<OnnxMl.GraphProto> inner = new ArrayList<>(a.getGraphsList());
        if (a.hasG()) {
          inner.add(a.getG());
        }
        for (OnnxMl.GraphProto sub : inner) {
          Set<String> innerReads = new LinkedHashSet<>();
          outerReferences(sub, defined, innerReads);
          innerReads.stream().filter(r -> !local.contains(r)).forEach(reads::add);
        }
      }
    }
    g.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).filter(o -> !local.contains(o))
        .forEach(reads::add);
  }

  /** Kahn's algorithm, stable: nodes keep their file order where the dataflow allows. */
  private static List<OnnxMl.NodeProto> topological(List<OnnxMl.NodeProto> nodes) throws SplitException {
    Map<String, Integer> producedBy = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String out : nodes.get(i).getOutputList()) {
        if (!out.isEmpty()) {
          producedBy.put(out, i);
        }
      }
    }
    int[] waiting = new int[nodes.size()];
    List<List<Integer>> next = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      next.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : new LinkedHashSet<>(nodes.get(i).getInputList())) {
        Integer p = producedBy.get(in);
        if (p != null && p != i) {
          waiting[i]++;
          next.get(p).add(i);
        }
      }
    }
    PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    List<OnnxMl.NodeProto> sorted = new ArrayList<>();
    while (!ready.isEmpty()) {
      int i = ready.poll();
      sorted.add(nodes.get(i));
      for (int j : next.get(i)) {
        if (--waiting[j] == 0) {
          ready.add(j);
        }
      }
    }
    if (sorted.size() != nodes.size()) {
      throw new SplitException("the graph has a cycle: " + (nodes.size() - sorted.size())
          + " nodes wait on each other");
    }
    return sorted;
  }

  /** Whether the main graph defines the tensor: a graph input, an initializer or a node output. */
  boolean defines(String tensor) {
    return producer.containsKey(tensor) || initializers.contains(tensor) || inputs.contains(tensor);
  }

  /** Every tensor name of the main graph (inputs, node outputs), in topological order. */
  List<String> tensors() {
    List<String> all = new ArrayList<>(inputs);
    for (OnnxMl.NodeProto n : nodes) {
      n.getOutputList().stream().filter(s -> !s.isEmpty()).forEach(all::add);
    }
    return all;
  }

  /** {@code conv1 (Conv)}; a node without a name is its op and index. */
  String label(int node) {
    OnnxMl.NodeProto n = nodes.get(node);
    String name = n.getName().isEmpty() ? n.getOpType() + "#" + node : n.getName();
    return name + " (" + n.getOpType() + ")";
  }

  /**
   * The shortest path from a graph input to one of {@code targets} that passes through no tensor of
   * {@code blockers}, as {@code x -> conv1 (Conv) -> c1 -> ...}; empty when every such path is blocked.
   */
  Optional<String> unblockedPath(Set<String> blockers, Collection<String> targets) {
    Set<String> goal = new HashSet<>(targets);
    goal.removeAll(blockers);
    Map<String, String> previousTensor = new HashMap<>();
    Map<String, Integer> previousNode = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    for (String in : inputs) {
      if (!blockers.contains(in) && seen.add(in)) {
        queue.add(in);
      }
    }
    while (!queue.isEmpty()) {
      String t = queue.poll();
      if (goal.contains(t)) {
        List<String> steps = new ArrayList<>();
        for (String at = t; at != null; at = previousTensor.get(at)) {
          steps.add(0, at);
          if (previousNode.containsKey(at)) {
            steps.add(0, label(previousNode.get(at)));
          }
        }
        return Optional.of(String.join(" -> ", steps));
      }
      for (int n : consumers.getOrDefault(t, List.of())) {
        for (String out : nodes.get(n).getOutputList()) {
          if (!out.isEmpty() && !blockers.contains(out) && seen.add(out)) {
            previousTensor.put(out, t);
            previousNode.put(out, n);
            queue.add(out);
          } else if (!out.isEmpty() && blockers.contains(out)) {
            seen.add(out);
          }
        }
      }
    }
    return Optional.empty();
  }
}
