package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Splits a model by layers: each cut is a set of tensors that separates the model's inputs from its outputs (every
 * path from an input, not an initializer, to an output passes through one of them); {@code n} cuts give {@code n + 1}
 * parts, part {@code i} computing cut {@code i} from cut {@code i - 1} (part 0 from the model's inputs, the last part
 * the model's outputs). Cuts come in order: every path from the inputs to a cut passes through the cut before it.
 * Stateless, thread-safe.
 */
public final class HorizontalSplit {
  private HorizontalSplit() {}

  /**
   * Splits {@code model} at {@code cuts}.
   *
   * @throws SplitException For an empty cut, an unknown tensor (naming the nearest names), a tensor inside a subgraph
   *     or an initializer, a cut that does not separate the inputs from the outputs or does not lie downstream of
   *     the cut before it (naming a path that crosses it), or tensors whose shape cannot be found.
   */
  public static ModelSplit split(OnnxMl.ModelProto model, List<Set<String>> cuts) throws SplitException {
    if (cuts.isEmpty()) {
      throw new SplitException("no cut given: a horizontal split needs at least one set of tensors");
    }
    Graph g = new Graph(model.getGraph());
    List<List<String>> ordered = new ArrayList<>();
    for (int i = 0; i < cuts.size(); i++) {
      List<String> cut = new ArrayList<>(new LinkedHashSet<>(cuts.get(i)));
      if (cut.isEmpty()) {
        throw new SplitException("cut " + (i + 1) + " is empty: a cut is a set of one or more tensors");
      }
      for (String t : cut) {
        checkKnown(g, t);
      }
      ordered.add(cut);
    }
    for (int i = 0; i < ordered.size(); i++) {
      List<String> cut = ordered.get(i);
      Optional<String> crossing = g.unblockedPath(Set.copyOf(cut), g.outputs);
      if (crossing.isPresent()) {
        throw new SplitException("cut " + describe(cut) + " does not separate the inputs from the outputs: "
            + crossing.get() + " does not pass through it");
      }
      if (i > 0) {
        List<String> previous = ordered.get(i - 1);
        Optional<String> early = g.unblockedPath(Set.copyOf(previous), cut);
        if (early.isPresent()) {
          throw new SplitException("cuts out of order: cut " + (i + 1) + " " + describe(cut)
              + " is not downstream of cut " + i + " " + describe(previous) + ": " + early.get()
              + " does not pass through cut " + i);
        }
      }
    }
    Set<String> boundary = new LinkedHashSet<>(g.inputs);
    ordered.forEach(boundary::addAll);
    boundary.addAll(g.outputs);
    Map<String, OnnxMl.ValueInfoProto> infos = TensorInfos.resolve(model, boundary);
    int count = ordered.size() + 1;
    List<ModelPart> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> sources = i == 0 ? g.inputs : ordered.get(i - 1);
      List<String> targets = i == count - 1 ? g.outputs : ordered.get(i);
      String file = ModelPart.fileName(i, count);
      parts.add(PartBuilder.build(model, g, sources, targets, infos, file, i, "part " + i + " (" + file + ")"));
    }
    return new ModelSplit(model, ModelSplit.Kind.HORIZONTAL, parts, Map.of("cuts", ordered));
  }

  static String describe(List<String> cut) {
    return "{" + String.join(", ", cut) + "}";
  }

  private static void checkKnown(Graph g, String t) throws SplitException {
    if (g.subgraphTensors.containsKey(t) && !g.defines(t)) {
      throw new SplitException("tensor '" + t + "' is inside the subgraph of " + g.label(g.subgraphTensors.get(t))
          + ": a cut cannot cross a subgraph; cut before or after that node");
    }
    if (g.initializers.contains(t)) {
      throw new SplitException("tensor '" + t + "' is an initializer (a constant of the model), not a tensor computed"
          + " from the inputs: it cannot be cut");
    }
    if (!g.defines(t)) {
      List<String> near = g.tensors().stream()
          .sorted(Comparator.comparing((String s) -> !contains(s, t)).thenComparingInt(s -> distance(s, t))
              .thenComparing(s -> s))
          .limit(5).collect(Collectors.toList());
      throw new SplitException("unknown tensor '" + t + "': the model has no input or node output of that name;"
          + " nearest: " + String.join(", ", near));
    }
  }

  /** Whether one name holds the other, case-insensitive ({@code pool2} and {@code pool2.out}). */
  private static boolean contains(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    return x.contains(y) || y.contains(x);
  }

  /** Levenshtein distance, case-insensitive. */
  private static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] row = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[y.length()];
  }
}
