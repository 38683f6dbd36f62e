package io.edgeai4j.optimize.split;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits Conv (group 1) and Gemm layers by output channels: each chosen layer becomes {@code k} slice parts (weights
 * and bias sliced, as even as possible) that read the layer's input and may run in parallel (one stage), followed by a
 * part that concatenates them on axis 1 and runs the rest of the model up to the next chosen layer; the first part
 * runs what comes before the first chosen layer. A node goes to the part after the latest chosen layer it depends on.
 * Outputs equal the unsplit model's within float rounding (a slice sums the same products, but ONNX Runtime may pick
 * another kernel for fewer channels). Stateless, thread-safe.
 */
public final class VerticalSplit {
  private VerticalSplit() {}

  /**
   * Splits {@code model}'s {@code layers} (node names; empty: every Conv with group 1 and every Gemm) into {@code k}
   * slices each.
   *
   * @throws SplitException For {@code k < 2}, a layer that is unknown (naming the nearest Conv and Gemm nodes), of
   *     another op or a Conv with groups, with fewer output channels than {@code k}, whose weights are not float32
   *     initializers; a model with no such layer; or tensors whose shape cannot be found.
   */
  public static ModelSplit split(OnnxMl.ModelProto model, int k, List<String> layers) throws SplitException {
    if (k < 2) {
      throw new SplitException("K = " + k + ": a vertical split needs at least 2 slices per layer");
    }
    Graph g = new Graph(model.getGraph());
    Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    List<Integer> chosen = choose(g, layers, k, initializers);

    OnnxMl.GraphProto.Builder expanded = model.getGraph().toBuilder().clearNode();
    List<OnnxMl.TensorProto> slicedWeights = new ArrayList<>();
    UniqueNames names = new UniqueNames(model.getGraph());
    List<Map<String, Object>> sliceDescriptions = new ArrayList<>();
    Map<String, int[]> sliceOf = new HashMap<>();
    Map<String, Integer> layerOfConcat = new HashMap<>();
    for (int n = 0; n < g.nodes.size(); n++) {
      OnnxMl.NodeProto node = g.nodes.get(n);
      int layer = chosen.indexOf(n);
      if (layer < 0) {
        expanded.addNode(node);
        continue;
      }
      String label = g.label(n);
      ChannelSlicer.Sliced sliced = ChannelSlicer.slice(node, label, k, initializers, names);
      for (int j = 0; j < k; j++) {
        expanded.addNode(sliced.slices().get(j));
        sliceOf.put(sliced.slices().get(j).getName(), new int[] {layer, j});
      }
      expanded.addNode(sliced.concat());
      layerOfConcat.put(sliced.concat().getName(), layer);
      slicedWeights.addAll(sliced.initializers());
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("layer", node.getName().isEmpty() ? node.getOpType() + "#" + n : node.getName());
      d.put("op", node.getOpType());
      d.put("channels", ChannelSlicer.channels(node, label, initializers));
      d.put("slices", sliced.ranges().stream().map(r -> List.of(r[0], r[1])).toList());
      sliceDescriptions.add(d);
    }
    OnnxProtos.replaceInitializers(expanded, initializers, slicedWeights);
    OnnxMl.ModelProto whole = model.toBuilder().setGraph(expanded).build();
    Graph eg = new Graph(whole.getGraph());

    StagePlan plan = StagePlan.of(eg, sliceOf, layerOfConcat);
    Set<String> boundary = new LinkedHashSet<>(eg.inputs);
    for (int p = 0; p < plan.parts().size(); p++) {
      boundary.addAll(plan.sources().get(p));
      boundary.addAll(plan.targets().get(p));
    }
    Map<String, OnnxMl.ValueInfoProto> infos = TensorInfos.resolve(whole, boundary);
    List<ModelPart> parts = new ArrayList<>();
    for (int p = 0; p < plan.parts().size(); p++) {
      String file = ModelPart.fileName(p, plan.parts().size());
      parts.add(PartBuilder.build(whole, eg, plan.sources().get(p), plan.targets().get(p), infos, file,
          plan.stages().get(p), "part " + p + " (" + file + ")"));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("k", k);
    details.put("layers", sliceDescriptions);
    return new ModelSplit(model, ModelSplit.Kind.VERTICAL, parts, details);
  }

  /** The chosen layers' node indices, in topological order. */
  private static List<Integer> choose(Graph g, List<String> layers, int k, Map<String, OnnxMl.TensorProto> inits)
      throws SplitException {
    List<Integer> chosen = new ArrayList<>();
    if (layers.isEmpty()) {
      for (int n = 0; n < g.nodes.size(); n++) {
        OnnxMl.NodeProto node = g.nodes.get(n);
        if (node.getOpType().equals("Gemm")
            || node.getOpType().equals("Conv") && OnnxProtos.intAttribute(node, "group", 1) == 1) {
          chosen.add(n);
        }
      }
      if (chosen.isEmpty()) {
        throw new SplitException("the model has no Conv (group 1) or Gemm layer to split by channels");
      }
    } else {
      Map<String, Integer> byName = new HashMap<>();
      for (int n = 0; n < g.nodes.size(); n++) {
        byName.put(g.nodes.get(n).getName(), n);
      }
      for (String name : new LinkedHashSet<>(layers)) {
        Integer n = byName.get(name);
        if (n == null) {
          List<String> near = NearNames.nearest(g.nodes.stream().filter(x -> x.getOpType().equals("Conv")
              || x.getOpType().equals("Gemm")).map(OnnxMl.NodeProto::getName).toList(), name, 5);
          throw new SplitException("unknown layer '" + name + "': the model has no node of that name; its Conv and"
              + " Gemm layers nearest to it: " + String.join(", ", near));
        }
        OnnxMl.NodeProto node = g.nodes.get(n);
        if (!node.getOpType().equals("Conv") && !node.getOpType().equals("Gemm")) {
          throw new SplitException("layer " + g.label(n) + " is a " + node.getOpType() + "; a vertical split takes"
              + " Conv (group 1) and Gemm layers");
        }
        long group = OnnxProtos.intAttribute(node, "group", 1);
        if (group != 1) {
          throw new SplitException("layer " + g.label(n) + " has group = " + group + "; a vertical split takes"
              + " Conv layers of group 1 (their output channels read every input channel)");
        }
        chosen.add(n);
      }
      chosen.sort(Comparator.naturalOrder());
    }
    for (int n : chosen) {
      int channels = ChannelSlicer.channels(g.nodes.get(n), g.label(n), inits);
      if (k > channels) {
        throw new SplitException("K = " + k + " is more than the " + channels + " output channels of layer "
            + g.label(n) + (layers.isEmpty() ? "; choose the layers with --layers" : ""));
      }
    }
    return chosen;
  }
}
