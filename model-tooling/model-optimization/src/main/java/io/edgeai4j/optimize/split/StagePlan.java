package io.edgeai4j.optimize.split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which part each node of a channel-sliced graph goes to, and in which stage: the slices of chosen layer {@code i}
 * are parts of stage {@code 2i + 1}, one per slice; every other node goes to the part after the latest chosen layer
 * it depends on (stage {@code 2i + 2}, or 0 before any), the Concat of layer {@code i} to the part after it. Empty
 * stages are dropped. A part's sources are what it reads from other parts or the model's inputs; its targets what it
 * writes that another part reads or that is a model output. Immutable.
 *
 * @param parts Each part's node indices, in topological order; parts in run order.
 * @param stages Each part's stage, from 0, consecutive.
 * @param sources Each part's inputs, in the order its nodes first read them.
 * @param targets Each part's outputs, in the order its nodes write them.
 */
record StagePlan(List<List<Integer>> parts, List<Integer> stages, List<List<String>> sources,
    List<List<String>> targets) {

  /**
   * The plan of {@code g}, whose slice nodes are named in {@code sliceOf} ({@code [layer, slice]}) and whose Concats in
   * {@code layerOfConcat}.
   */
  static StagePlan of(Graph g, Map<String, int[]> sliceOf, Map<String, Integer> layerOfConcat) {
    TreeMap<Long, TreeMap<Long, List<Integer>>> groups = new TreeMap<>();
    int[] latest = new int[g.nodes.size()];
    for (int n = 0; n < g.nodes.size(); n++) {
      String name = g.nodes.get(n).getName();
      int[] slice = sliceOf.get(name);
      int depends = -1;
      for (String in : g.nodeInputs.get(n)) {
        Integer p = g.producer.get(in);
        if (p != null) {
          depends = Math.max(depends, latest[p]);
        }
      }
      long stageKey;
      long order = 0;
      if (slice != null) {
        latest[n] = slice[0];
        stageKey = 2L * slice[0] + 1;
        order = slice[1];
      } else {
        Integer concatLayer = layerOfConcat.get(name);
        latest[n] = concatLayer != null ? Math.max(depends, concatLayer) : depends;
        stageKey = 2L * latest[n] + 2;
      }
      groups.computeIfAbsent(stageKey, s -> new TreeMap<>()).computeIfAbsent(order, s -> new ArrayList<>()).add(n);
    }
    List<List<Integer>> parts = new ArrayList<>();
    List<Integer> stages = new ArrayList<>();
    int stage = 0;
    for (TreeMap<Long, List<Integer>> same : groups.values()) {
      for (List<Integer> nodes : same.values()) {
        nodes.sort(Comparator.naturalOrder());
        parts.add(List.copyOf(nodes));
        stages.add(stage);
      }
      stage++;
    }
    return withBoundaries(g, parts, stages);
  }

  private static StagePlan withBoundaries(Graph g, List<List<Integer>> parts, List<Integer> stages) {
    int[] nodePart = new int[g.nodes.size()];
    Map<String, Integer> producedIn = new HashMap<>();
    for (int p = 0; p < parts.size(); p++) {
      for (int n : parts.get(p)) {
        nodePart[n] = p;
        for (String out : g.nodes.get(n).getOutputList()) {
          producedIn.put(out, p);
        }
      }
    }
    List<List<String>> sources = new ArrayList<>();
    List<List<String>> targets = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      int part = p;
      Set<String> in = new LinkedHashSet<>();
      Set<String> out = new LinkedHashSet<>();
      for (int n : parts.get(p)) {
        for (String t : g.nodeInputs.get(n)) {
          Integer from = producedIn.get(t);
          if (from != null ? from != p : g.inputs.contains(t)) {
            in.add(t);
          }
        }
        for (String t : g.nodes.get(n).getOutputList()) {
          boolean readElsewhere = g.consumers.getOrDefault(t, List.of()).stream().anyMatch(c -> nodePart[c] != part);
          if (!t.isEmpty() && (readElsewhere || g.outputs.contains(t))) {
            out.add(t);
          }
        }
      }
      sources.add(List.copyOf(in));
      targets.add(List.copyOf(out));
    }
    return new StagePlan(List.copyOf(parts), List.copyOf(stages), List.copyOf(sources), List.copyOf(targets));
  }
}
