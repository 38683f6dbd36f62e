package io.edgeai4j.train.prune;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Unstructured magnitude pruning: the weights of smallest magnitude of the Conv, Gemm and MatMul weight initializers
 * (their input 1) are set to zero, either the same fraction in each layer ({@link Scope#PER_LAYER}: exactly
 * {@code round(sparsity * n)} of each layer's n weights) or one threshold across all of them ({@link Scope#GLOBAL}:
 * exactly {@code round(sparsity * total)} weights, where the smallest are). Biases are kept. The graph's shape does
 * not change: the file is as large, its zip (a model package) is smaller. Stateless, thread-safe.
 */
public final class MagnitudePruning {
  /** Where the sparsity target applies. */
  public enum Scope { PER_LAYER, GLOBAL }

  /** One pruned weight: its node, op, initializer, elements and zeros after pruning. */
  public record Layer(String node, String op, String weight, long elements, long zeros) {
    public double sparsity() {
      return elements == 0 ? 0 : (double) zeros / elements;
    }
  }

  /**
   * @param model The pruned model.
   * @param layers Each pruned weight, in graph order.
   * @param zippedBefore The zip size of the model given ({@link PackageSize}).
   * @param zippedAfter The zip size of the pruned model.
   */
  public record Result(OnnxMl.ModelProto model, List<Layer> layers, long zippedBefore, long zippedAfter) {
    public long elements() {
      return layers.stream().mapToLong(Layer::elements).sum();
    }

    public long zeros() {
      return layers.stream().mapToLong(Layer::zeros).sum();
    }
  }

  private MagnitudePruning() {}

  /**
   * @param sparsity The fraction of weights to zero, in [0, 1).
   * @throws IllegalArgumentException For a sparsity outside [0, 1), or a model with no Conv/Gemm/MatMul weight.
   */
  public static Result prune(OnnxMl.ModelProto model, double sparsity, Scope scope) {
    if (!(sparsity >= 0 && sparsity < 1)) {
      throw new IllegalArgumentException("sparsity " + sparsity + " is outside [0, 1)");
    }
    OnnxMl.GraphProto graph = model.getGraph();
    Tensors tensors = new Tensors(graph);
    Set<String> weights = new LinkedHashSet<>();
    List<String[]> owners = new ArrayList<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      String op = n.getOpType();
      if ((op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul")) && n.getInputCount() > 1
          && tensors.isFloat(n.getInput(1)) && weights.add(n.getInput(1))) {
        owners.add(new String[] {n.getName().isEmpty() ? n.getOutput(0) : n.getName(), op, n.getInput(1)});
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("the model has no Conv, Gemm or MatMul weight initializer to prune");
    }
    List<float[]> values = new ArrayList<>();
    for (String w : weights) {
      values.add(tensors.values(w));
    }
    if (scope == Scope.PER_LAYER) {
      for (float[] v : values) {
        zeroSmallest(List.of(v), Math.round(sparsity * v.length));
      }
    } else {
      long total = values.stream().mapToLong(v -> v.length).sum();
      zeroSmallest(values, Math.round(sparsity * total));
    }
    List<Layer> layers = new ArrayList<>();
    int i = 0;
    for (String w : weights) {
      float[] v = values.get(i);
      tensors.put(w, tensors.dims(w), v);
      long zeros = 0;
      for (float x : v) {
        zeros += x == 0 ? 1 : 0;
      }
      String[] o = owners.get(i++);
      layers.add(new Layer(o[0], o[1], o[2], v.length, zeros));
    }
    OnnxMl.GraphProto.Builder g = graph.toBuilder();
    tensors.writeInto(g);
    OnnxMl.ModelProto pruned = model.toBuilder().setGraph(g).build();
    return new Result(pruned, List.copyOf(layers), PackageSize.zipped(model), PackageSize.zipped(pruned));
  }

  /** Zeroes the {@code count} elements of smallest magnitude across {@code arrays} (ties: the earlier first). */
  private static void zeroSmallest(List<float[]> arrays, long count) {
    if (count == 0) {
      return;
    }
    int total = arrays.stream().mapToInt(a -> a.length).sum();
    long[] keys = new long[total];
    int k = 0;
    for (int a = 0; a < arrays.size(); a++) {
      float[] v = arrays.get(a);
      for (int j = 0; j < v.length; j++) {
        // |v| as sortable bits in the high half, a global position in the low half: one sort, stable on ties.
        keys[k] = ((long) Float.floatToIntBits(Math.abs(v[j])) << 32) | k;
        k++;
      }
    }
    Arrays.sort(keys);
    int[] starts = new int[arrays.size()];
    for (int a = 1; a < arrays.size(); a++) {
      starts[a] = starts[a - 1] + arrays.get(a - 1).length;
    }
    for (int c = 0; c < count; c++) {
      int pos = (int) (keys[c] & 0xffffffffL);
      int a = arrays.size() - 1;
      while (starts[a] > pos) {
        a--;
      }
      arrays.get(a)[pos - starts[a]] = 0f;
    }
  }
}
