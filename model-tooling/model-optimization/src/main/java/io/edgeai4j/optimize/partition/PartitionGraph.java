package io.edgeai4j.optimize.partition;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A model's graph as the planner sees it: the nodes in a topological order (the model's own order where it is one),
 * and the tensors that can cross a link, each with its producer (-1 for a graph input) and consumers. Initializers,
 * and tensors computed only from initializers (Constant nodes and what follows from them alone), are constants: every
 * part carries them, so they never cross a link. Immutable.
 */
final class PartitionGraph {
  /** One node, by its position in {@link #nodes()}. */
  record Node(int index, String name, String opType, List<String> inputs, List<String> outputs) {}

  /** A tensor that can cross a link. */
  record Tensor(String name, int producer, List<Integer> consumers, boolean graphInput, boolean graphOutput) {}

  private final List<Node> nodes;
  private final Map<String, Tensor> tensors;

  private PartitionGraph(List<Node> nodes, Map<String, Tensor> tensors) {
    this.nodes = List.copyOf(nodes);
    this.tensors = tensors;
  }

  /**
   * Reads a model whose nodes have unique names ({@link NodeNames#named}).
   *
   * @throws PartitionException when the graph has a cycle or a node reads a tensor nothing produces
   */
  static PartitionGraph of(OnnxMl.ModelProto model) throws PartitionException {
    OnnxMl.GraphProto graph = model.getGraph();
    Set<String> constants = new HashSet<>();
    graph.getInitializerList().forEach(t -> constants.add(t.getName()));
    Set<String> inputs = new HashSet<>();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (!constants.contains(input.getName())) {
        inputs.add(input.getName());
      }
    }
    List<OnnxMl.NodeProto> original = graph.getNodeList();
    Map<String, Integer> producerOf = new HashMap<>();
    for (int i = 0; i < original.size(); i++) {
      for (String output : original.get(i).getOutputList()) {
        if (!output.isEmpty()) {
          producerOf.put(output, i);
        }
      }
    }
    // Kahn's algorithm, smallest original index first: the model's own order when it is topological.
    int n = original.size();
    int[] waiting = new int[n];
    List<List<Integer>> after = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      after.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (String input : original.get(i).getInputList()) {
        if (input.isEmpty() || constants.contains(input) || inputs.contains(input)) {
          continue;
        }
        Integer p = producerOf.get(input);
        if (p == null) {
          throw new PartitionException("node '" + original.get(i).getName() + "' reads tensor '" + input
              + "', which is no graph input, initializer or node output");
        }
        waiting[i]++;
        after.get(p).add(i);
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    List<Integer> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(i);
      for (int j : after.get(i)) {
        if (--waiting[j] == 0) {
          ready.add(j);
        }
      }
    }
    if (order.size() != n) {
      throw new PartitionException("the graph has a cycle: " + (n - order.size()) + " of " + n
          + " nodes never become ready");
    }
    List<Node> nodes = new ArrayList<>();
    for (int position = 0; position < n; position++) {
      OnnxMl.NodeProto p = original.get(order.get(position));
      nodes.add(new Node(position, p.getName(), p.getOpType(), List.copyOf(p.getInputList()),
          List.copyOf(p.getOutputList())));
      boolean constant = true;
      for (String input : p.getInputList()) {
        constant &= input.isEmpty() || constants.contains(input);
      }
      if (constant) {
        p.getOutputList().forEach(constants::add);
      }
    }
    Set<String> outputs = new HashSet<>();
    graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    Map<String, Integer> producer = new LinkedHashMap<>();
    Map<String, List<Integer>> consumers = new HashMap<>();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (inputs.contains(input.getName())) {
        producer.put(input.getName(), -1);
      }
    }
    for (Node node : nodes) {
      for (String output : node.outputs()) {
        if (!output.isEmpty() && !constants.contains(output)) {
          producer.put(output, node.index());
        }
      }
    }
    for (Node node : nodes) {
      for (String input : new HashSet<>(node.inputs())) {
        if (producer.containsKey(input)) {
          consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node.index());
        }
      }
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : producer.entrySet()) {
      String name = e.getKey();
      List<Integer> users = consumers.getOrDefault(name, List.of());
      boolean output = outputs.contains(name);
      if (!users.isEmpty() || output) {
        tensors.put(name, new Tensor(name, e.getValue(), List.copyOf(users), e.getValue() < 0, output));
      }
    }
    return new PartitionGraph(nodes, tensors);
  }

  List<Node> nodes() {
    return nodes;
  }

  /** The tensors that can cross a link, graph inputs first, then in the order of their producers. */
  Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Whether every prefix of the order is cut by one tensor (a chain of layers). */
  boolean isChain() {
    for (int p = 1; p < nodes.size(); p++) {
      int crossing = 0;
      for (Tensor t : tensors.values()) {
        int last = t.graphOutput() ? Integer.MAX_VALUE : t.consumers().stream().mapToInt(Integer::intValue).max()
            .orElse(-1);
        if (t.producer() < p && last >= p) {
          crossing++;
        }
      }
      if (crossing != 1) {
        return false;
      }
    }
    return true;
  }

  /** The tier of every node when the nodes before {@code positions[k]} (and from {@code positions[k-1]}) run on tier k. */
  int[] prefixTiers(int... positions) {
    int[] tiers = new int[nodes.size()];
    for (int i = 0; i < tiers.length; i++) {
      int tier = 0;
      while (tier < positions.length && i >= positions[tier]) {
        tier++;
      }
      tiers[i] = tier;
    }
    return tiers;
  }
}
