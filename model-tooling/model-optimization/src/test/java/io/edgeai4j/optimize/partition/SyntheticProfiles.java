package io.edgeai4j.optimize.partition;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.inspect.TestGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Graphs and profiles whose numbers are set by hand, for planner tests where the answer is known. */
final class SyntheticProfiles {
  static final String SHA = "ab".repeat(32);

  private SyntheticProfiles() {}

  /** A graph of Sum nodes: node i reads {@code inputs[i]} and writes tensor {@code t<i>}; the last writes {@code y}. */
  static OnnxMl.ModelProto graph(List<List<String>> inputs, List<String> outputs) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("synthetic")
        .addInput(TestGraphs.floatInfo("x", 1, 4));
    for (int i = 0; i < inputs.size(); i++) {
      g.addNode(TestGraphs.node("Sum", "n" + i, inputs.get(i).toArray(String[]::new), new String[] {"t" + i}));
    }
    outputs.forEach(o -> g.addOutput(TestGraphs.floatInfo(o, 1, 4)));
    return TestGraphs.model(g, 13);
  }

  /** A chain x → n0 → t0 → n1 → t1 ... → t{n-1}, the last tensor the output. */
  static OnnxMl.ModelProto chain(int n) {
    List<List<String>> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inputs.add(List.of(i == 0 ? "x" : "t" + (i - 1)));
    }
    return graph(inputs, List.of("t" + (n - 1)));
  }

  /**
   * A profile: node i of the graph takes {@code micros[i]}; tensor sizes in float32 elements ({@code x} and
   * {@code t<i>}); codec costs {@code codecNanos} per element to encode and to decode in every encoding.
   */
  static ModelProfile profile(OnnxMl.ModelProto model, double[] micros, Map<String, Long> elements,
      double codecNanos) {
    List<ModelProfile.NodeTiming> nodes = new ArrayList<>();
    for (int i = 0; i < model.getGraph().getNodeCount(); i++) {
      OnnxMl.NodeProto node = model.getGraph().getNode(i);
      nodes.add(new ModelProfile.NodeTiming(node.getName(), node.getOpType(), 10, micros[i], micros[i], 0));
    }
    Map<String, ModelProfile.TensorSize> tensors = new LinkedHashMap<>();
    elements.forEach((name, n) -> tensors.put(name, new ModelProfile.TensorSize("FLOAT", new long[] {1, n}, 4 * n)));
    Map<String, ModelProfile.CodecCost> codecs = new LinkedHashMap<>();
    for (ActivationEncoding e : ActivationEncoding.values()) {
      codecs.put(e.label(), new ModelProfile.CodecCost(codecNanos, codecNanos));
    }
    return new ModelProfile("synthetic.onnx", SHA, "disabled", 0, 10,
        new ModelProfile.Machine("test", 1, "test", "test", 1), nodes, tensors, codecs);
  }

  static double[] times(double each, int n) {
    double[] t = new double[n];
    java.util.Arrays.fill(t, each);
    return t;
  }
}
