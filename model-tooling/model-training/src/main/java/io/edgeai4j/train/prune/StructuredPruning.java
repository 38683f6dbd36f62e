package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structured pruning: whole filters of each Conv (group 1) and whole output units of each Gemm are removed, the
 * lowest-ranked {@code floor(sparsity * n)} of each layer (at least one kept), and every tensor that reads those
 * channels is cut to match: the next Conv's input channels, a Gemm's (or MatMul's) input columns, through Flatten the
 * block of columns of each dropped channel, BatchNormalization's scale, bias, mean and variance, and a Concat's
 * consumers at the channel's offset in the concatenation. Elementwise ops with one input (Relu, Clip, pooling,
 * Dropout, ...) pass the channels through.
 *
 * <p>Residuals: layers whose channels meet in an Add, Sub, Mul or Div (each input reached from a candidate layer
 * through the pass-through ops and BatchNormalization) form a group that drops the same channels, ranked by the sum of
 * its members' scores, and the elementwise op's output is cut once. A layer is left whole, with the reason in its
 * {@link Layer#skipped()}, when its channels reach a graph output, an elementwise op whose other input does not come
 * from a prunable layer (a graph input, a constant, a Reshape...), a grouped Conv, a Reshape, or any other op that is
 * not listed above; every member of a group is then left whole. Stateless, thread-safe.
 */
public final class StructuredPruning {
  private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div");
  private static final Set<String> PASS_THROUGH = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Dropout",
      "Identity", "MaxPool", "AveragePool", "GlobalAveragePool");

  /**
   * One prunable layer.
   *
   * @param node The Conv or Gemm node's name (its output's when unnamed).
   * @param output The tensor whose channels are its filters.
   * @param channels Filters (output units) before.
   * @param dropped The indices removed, ascending (empty when skipped).
   * @param skipped Why the layer was left whole, or empty.
   */
  public record Layer(String node, String op, String output, int channels, int[] dropped, String skipped) {
    public int kept() {
      return channels - dropped.length;
    }
  }

  /** The pruned model and each layer's outcome, in graph order. */
  public record Result(OnnxMl.ModelProto model, List<Layer> layers) {}

  private StructuredPruning() {}

  /** The Conv (group 1) and Gemm nodes whose filters could be ranked: output tensor to node, in graph order. */
  public static Map<String, OnnxMl.NodeProto> candidates(OnnxMl.ModelProto model) {
    Tensors tensors = new Tensors(model.getGraph());
    Map<String, OnnxMl.NodeProto> out = new LinkedHashMap<>();
    for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
      boolean conv = n.getOpType().equals("Conv") && OnnxProtos.intAttribute(n, "group", 1) == 1;
      boolean gemm = n.getOpType().equals("Gemm") && OnnxProtos.intAttribute(n, "transA", 0) == 0;
      // A bias other than 1-D (Gemm's C may be [M, N]) is not cut per unit: such a layer is not a candidate.
      if ((conv || gemm) && tensors.isFloat(n.getInput(1)) && tensors.dims(n.getInput(1)).length >= 2
          && (n.getInputCount() < 3 || n.getInput(2).isEmpty()
              || tensors.isFloat(n.getInput(2)) && tensors.dims(n.getInput(2)).length == 1)) {
        out.put(n.getOutput(0), n);
      }
    }
    return out;
  }

  /** The L1 norm of each filter (Conv) or output unit's weights (Gemm) of {@code node}. */
  public static double[] l1Norms(OnnxMl.ModelProto model, OnnxMl.NodeProto node) {
    Tensors tensors = new Tensors(model.getGraph());
    long[] dims = tensors.dims(node.getInput(1));
    float[] w = tensors.values(node.getInput(1));
    int outAxis = outputAxis(node);
    int channels = (int) dims[outAxis];
    double[] l1 = new double[channels];
    int inner = w.length / channels;
    for (int k = 0; k < w.length; k++) {
      int c = outAxis == 0 ? k / inner : k % channels;
      l1[c] += Math.abs(w[k]);
    }
    return l1;
  }

  private static int outputAxis(OnnxMl.NodeProto node) {
    return node.getOpType().equals("Gemm") && OnnxProtos.intAttribute(node, "transB", 0) == 0 ? 1 : 0;
  }

  /**
   * @param sparsity The fraction of each layer's filters to remove, in [0, 1).
   * @param scores Each candidate layer's per-channel score by output tensor (higher is kept): {@link #l1Norms} or
   *     {@link ActivationRanking}. A layer without scores is left whole.
   */
  public static Result prune(OnnxMl.ModelProto model, double sparsity, Map<String, double[]> scores) {
    if (!(sparsity >= 0 && sparsity < 1)) {
      throw new IllegalArgumentException("sparsity " + sparsity + " is outside [0, 1)");
    }
    OnnxMl.ModelProto current = model;
    Map<String, OnnxMl.NodeProto> candidates = candidates(model);
    Groups groups = Groups.of(model, candidates.keySet());
    Map<String, Layer> outcome = new HashMap<>();
    for (String first : candidates.keySet()) {
      if (outcome.containsKey(first)) {
        continue;
      }
      List<String> members = groups.members(first);
      Surgery surgery = new Surgery(current);
      int[] channels = new int[members.size()];
      double[] total = null;
      String refusal = groups.pinned(first);
      for (int m = 0; m < members.size(); m++) {
        OnnxMl.NodeProto node = candidates.get(members.get(m));
        channels[m] = (int) surgery.tensors.dims(node.getInput(1))[outputAxis(node)];
        double[] s = scores.get(members.get(m));
        if (refusal == null && (s == null || s.length != channels[m])) {
          refusal = s == null ? "no ranking" : "ranking of " + s.length + " channels, expected " + channels[m];
        } else if (refusal == null && channels[m] != channels[0]) {
          refusal = "its residual group " + members + " has layers of " + channels[0] + " and " + channels[m]
              + " channels";
        } else if (refusal == null) {
          total = total == null ? s.clone() : total;
          if (m > 0) {
            for (int c = 0; c < s.length; c++) {
              total[c] += s[c];
            }
          }
        }
      }
      int drop = refusal == null ? Math.min((int) Math.floor(sparsity * channels[0]), channels[0] - 1) : 0;
      int[] dropped = refusal == null ? lowest(total, drop) : new int[0];
      java.util.LinkedHashSet<Edit> edits = new java.util.LinkedHashSet<>();
      if (refusal == null && drop == 0) {
        refusal = "nothing to drop at this sparsity";
      }
      for (int m = 0; m < members.size() && refusal == null; m++) {
        OnnxMl.NodeProto node = candidates.get(members.get(m));
        edits.add(new Edit(node.getInput(1), outputAxis(node), 0, 1));
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
          edits.add(new Edit(node.getInput(2), 0, 0, 1));
        }
        List<Edit> walked = new ArrayList<>();
        refusal = surgery.walk(members.get(m), 0, channels[0], walked);
        edits.addAll(walked);
      }
      if (refusal == null) {
        for (Edit edit : edits) {
          surgery.tensors.remove(edit.initializer, edit.axis, dropped, edit.offset, edit.block);
        }
        current = surgery.result();
      }
      for (int m = 0; m < members.size(); m++) {
        OnnxMl.NodeProto node = candidates.get(members.get(m));
        String name = node.getName().isEmpty() ? members.get(m) : node.getName();
        outcome.put(members.get(m), new Layer(name, node.getOpType(), members.get(m), channels[m],
            refusal == null ? dropped : new int[0], refusal == null ? "" : refusal));
      }
    }
    List<Layer> layers = new ArrayList<>();
    candidates.keySet().forEach(k -> layers.add(outcome.get(k)));
    return new Result(current, List.copyOf(layers));
  }

  /**
   * The candidate layers tied by elementwise ops (union-find over their output tensors), and the groups that meet an
   * elementwise op whose other input does not come from a candidate (pinned, with the reason).
   */
  private static final class Groups {
    private final Map<String, String> parent = new LinkedHashMap<>();
    private final Map<String, String> pinned = new HashMap<>();

    static Groups of(OnnxMl.ModelProto model, java.util.Collection<String> candidates) {
      Groups g = new Groups();
      candidates.forEach(c -> g.parent.put(c, c));
      Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
      model.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(o -> producers.put(o, n)));
      Set<String> initializers = new HashSet<>();
      model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
      for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
        if (!ELEMENTWISE.contains(n.getOpType())) {
          continue;
        }
        List<String> sources = new ArrayList<>();
        String stranger = null;
        for (String in : n.getInputList()) {
          String source = source(in, producers, g.parent.keySet());
          if (source != null) {
            sources.add(source);
          } else if (stranger == null) {
            stranger = initializers.contains(in) ? "the constant '" + in + "'" : "'" + in + "'";
          }
        }
        for (int i = 1; i < sources.size(); i++) {
          g.union(sources.get(0), sources.get(i));
        }
        if (stranger != null && !sources.isEmpty()) {
          g.pin(sources.get(0), "its channels meet " + describe(n) + ", whose other input " + stranger + " does not"
              + " come from a prunable layer; pruning one side would misalign them");
        }
      }
      return g;
    }

    /** The candidate whose channels {@code tensor} carries unchanged (through pass-through ops and BN), or null. */
    private static String source(String tensor, Map<String, OnnxMl.NodeProto> producers, Set<String> candidates) {
      if (candidates.contains(tensor)) {
        return tensor;
      }
      OnnxMl.NodeProto p = producers.get(tensor);
      if (p != null && (PASS_THROUGH.contains(p.getOpType()) || p.getOpType().equals("BatchNormalization"))) {
        return source(p.getInput(0), producers, candidates);
      }
      return null;
    }

    private String find(String x) {
      String p = parent.get(x);
      return p.equals(x) ? x : find(p);
    }

    private void union(String a, String b) {
      String ra = find(a);
      String rb = find(b);
      if (!ra.equals(rb)) {
        parent.put(rb, ra);
        String why = pinned.remove(rb);
        if (why != null) {
          pinned.putIfAbsent(ra, why);
        }
      }
    }

    private void pin(String member, String why) {
      pinned.putIfAbsent(find(member), why);
    }

    /** Why the group of {@code member} is left whole, or null. */
    String pinned(String member) {
      return pinned.get(find(member));
    }

    /** The members of {@code member}'s group, in candidate order. */
    List<String> members(String member) {
      String root = find(member);
      return parent.keySet().stream().filter(k -> find(k).equals(root)).toList();
    }
  }

  private static int[] lowest(double[] scores, int count) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[a], scores[b]) : a - b);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = order[i];
    }
    Arrays.sort(out);
    return out;
  }

  /** Cut an initializer along {@code axis}: each dropped channel c removes {@code [(offset + c) * block, +block)}. */
  private record Edit(String initializer, int axis, int offset, int block) {}

  /** One layer's surgery on the current graph. */
  private static final class Surgery {
    final OnnxMl.ModelProto model;
    final OnnxMl.GraphProto graph;
    final Tensors tensors;
    final Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
    final Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
    final Set<String> outputs = new HashSet<>();
    /** The elementwise ops' outputs already walked while pruning one group. */
    final Set<String> visited = new HashSet<>();

    Surgery(OnnxMl.ModelProto model) {
      this.model = model;
      this.graph = model.getGraph();
      this.tensors = new Tensors(graph);
      for (OnnxMl.NodeProto n : graph.getNodeList()) {
        n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        n.getOutputList().forEach(o -> producers.put(o, n));
      }
      graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    }

    /**
     * Collects the edits that keep the graph consistent when channels {@code [offset, offset + n)} of
     * {@code tensor}'s axis 1 (of {@code total}) lose the dropped ones; returns why not, or null.
     */
    String walk(String tensor, int offset, int total, List<Edit> edits) {
      if (outputs.contains(tensor)) {
        return "its channels reach the graph output '" + tensor + "'";
      }
      for (OnnxMl.NodeProto c : consumers.getOrDefault(tensor, List.of())) {
        String op = c.getOpType();
        String refusal = null;
        if (PASS_THROUGH.contains(op) && c.getInput(0).equals(tensor)) {
          refusal = walk(c.getOutput(0), offset, total, edits);
        } else if (op.equals("BatchNormalization") && c.getInput(0).equals(tensor)) {
          for (int i = 1; i < 5; i++) {
            if (!tensors.isFloat(c.getInput(i))) {
              return describe(c) + " has input '" + c.getInput(i) + "' that is not a float initializer";
            }
            edits.add(new Edit(c.getInput(i), 0, offset, 1));
          }
          refusal = walk(c.getOutput(0), offset, total, edits);
        } else if (op.equals("Conv") && c.getInput(0).equals(tensor)) {
          if (OnnxProtos.intAttribute(c, "group", 1) != 1 || !tensors.isFloat(c.getInput(1))) {
            return "its channels reach " + describe(c) + ", a grouped Conv or one without a weight initializer";
          }
          edits.add(new Edit(c.getInput(1), 1, offset, 1));
        } else if ((op.equals("Gemm") || op.equals("MatMul")) && c.getInput(0).equals(tensor)) {
          refusal = columns(c, offset, total, 1, edits);
        } else if (op.equals("Flatten") && OnnxProtos.intAttribute(c, "axis", 1) == 1) {
          for (OnnxMl.NodeProto f : consumers.getOrDefault(c.getOutput(0), List.of())) {
            if ((f.getOpType().equals("Gemm") || f.getOpType().equals("MatMul")) && f.getInput(0)
                .equals(c.getOutput(0)) && tensors.isFloat(f.getInput(1))) {
              long features = tensors.dims(f.getInput(1))[inputAxis(f)];
              if (features % total != 0) {
                return describe(f) + " reads " + features + " features after " + describe(c) + ", not a multiple"
                    + " of the " + total + " channels";
              }
              refusal = columns(f, offset, total, (int) (features / total), edits);
            } else {
              refusal = "its flattened channels reach " + describe(f) + "; only a Gemm or MatMul with a weight "
                  + "initializer can follow Flatten";
            }
            if (refusal != null) {
              return refusal;
            }
          }
          if (outputs.contains(c.getOutput(0))) {
            return "its channels reach the graph output '" + c.getOutput(0) + "'";
          }
        } else if (op.equals("Concat") && axis1(c)) {
          int before = 0;
          int all = 0;
          boolean seen = false;
          if (c.getInputList().stream().filter(tensor::equals).count() > 1) {
            return describe(c) + " concatenates '" + tensor + "' more than once";
          }
          for (String in : c.getInputList()) {
            int n = channels(in);
            if (n < 0) {
              return describe(c) + " concatenates '" + in + "', whose channel count is not known";
            }
            if (in.equals(tensor) && !seen) {
              seen = true;
              before = all;
            }
            all += n;
          }
          refusal = walk(c.getOutput(0), before + offset, all, edits);
        } else if (ELEMENTWISE.contains(op)) {
          // Pruned with every layer it ties (Groups): cut its output once, from whichever member reaches it first.
          if (visited.add(c.getOutput(0))) {
            refusal = walk(c.getOutput(0), offset, total, edits);
          }
        } else {
          return "its channels reach " + describe(c) + ", which pruning does not cut through";
        }
        if (refusal != null) {
          return refusal;
        }
      }
      return null;
    }

    private static boolean axis1(OnnxMl.NodeProto c) {
      return OnnxProtos.intAttribute(c, "axis", 1) == 1;
    }

    private static int inputAxis(OnnxMl.NodeProto f) {
      return f.getOpType().equals("Gemm") && OnnxProtos.intAttribute(f, "transB", 0) != 0 ? 1 : 0;
    }

    private String columns(OnnxMl.NodeProto f, int offset, int total, int block, List<Edit> edits) {
      if (f.getOpType().equals("Gemm") && OnnxProtos.intAttribute(f, "transA", 0) != 0
          || !tensors.isFloat(f.getInput(1)) || tensors.dims(f.getInput(1)).length != 2) {
        return "its channels reach " + describe(f) + ", which has transA or no 2-D weight initializer";
      }
      edits.add(new Edit(f.getInput(1), inputAxis(f), offset, block));
      return null;
    }

    /** The channel count (axis 1) of {@code tensor}, or -1 when not known. */
    int channels(String tensor) {
      OnnxMl.NodeProto p = producers.get(tensor);
      if (p == null) {
        for (OnnxMl.ValueInfoProto in : graph.getInputList()) {
          if (in.getName().equals(tensor) && in.getType().getTensorType().getShape().getDimCount() > 1) {
            OnnxMl.TensorShapeProto.Dimension d = in.getType().getTensorType().getShape().getDim(1);
            return d.hasDimValue() ? (int) d.getDimValue() : -1;
          }
        }
        return -1;
      }
      return switch (p.getOpType()) {
        case "Conv" -> tensors.isFloat(p.getInput(1)) ? (int) tensors.dims(p.getInput(1))[0] : -1;
        case "Gemm" -> tensors.isFloat(p.getInput(1))
            ? (int) tensors.dims(p.getInput(1))[OnnxProtos.intAttribute(p, "transB", 0) != 0 ? 0 : 1] : -1;
        case "Concat" -> {
          if (!axis1(p)) {
            yield -1;
          }
          int sum = 0;
          for (String in : p.getInputList()) {
            int n = channels(in);
            if (n < 0) {
              yield -1;
            }
            sum += n;
          }
          yield sum;
        }
        case "BatchNormalization" -> channels(p.getInput(0));
        default -> PASS_THROUGH.contains(p.getOpType()) ? channels(p.getInput(0)) : -1;
      };
    }

    OnnxMl.ModelProto result() {
      OnnxMl.GraphProto.Builder g = graph.toBuilder().clearValueInfo();
      tensors.writeInto(g);
      return model.toBuilder().setGraph(g).build();
    }
  }

  static String describe(OnnxMl.NodeProto n) {
    return n.getOpType() + " '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "'";
  }
}
