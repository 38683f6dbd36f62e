package io.edgeai4j.train.prune;

import static io.edgeai4j.train.Graphs.i;
import static io.edgeai4j.train.Graphs.ints;
import static io.edgeai4j.train.Graphs.list;
import static io.edgeai4j.train.Graphs.model;
import static io.edgeai4j.train.Graphs.node;
import static io.edgeai4j.train.Graphs.positive;
import static io.edgeai4j.train.Graphs.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.Graphs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StructuredPruningTest {
  static final long[] SHAPE = {2, 3, 8, 8};

  static OnnxMl.NodeProto conv(String x, String w, String b, String y) {
    return node("Conv", list(x, w, b), y, ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1));
  }

  /** Graph, parameters before, after pruning half of each layer, and the layers pruned (kept channels). */
  static Stream<Arguments> graphs() {
    return Stream.of(
        Arguments.of("Conv → Relu → Conv", named(model(SHAPE, List.of(random("w1", 1, 6, 3, 3, 3), random("b1", 2, 6),
                random("w2", 3, 4, 6, 3, 3), random("b2", 4, 4)),
            conv("x", "w1", "b1", "c1"), node("Relu", list("c1"), "r"), conv("r", "w2", "b2", "y"))),
            388L, 196L, Map.of("c1", 3)),
        Arguments.of("Conv → BN → Relu → Conv", named(model(SHAPE, List.of(random("w1", 1, 6, 3, 3, 3), random("b1", 2, 6),
                random("s", 5, 6), random("bb", 6, 6), random("m", 7, 6), positive("v", 8, 6),
                random("w2", 3, 4, 6, 3, 3), random("b2", 4, 4)),
            conv("x", "w1", "b1", "c1"), node("BatchNormalization", list("c1", "s", "bb", "m", "v"), "n"),
            node("Relu", list("n"), "r"), conv("r", "w2", "b2", "y"))),
            412L, 208L, Map.of("c1", 3)),
        Arguments.of("Conv → Pool → Flatten → Gemm → Relu → Gemm", named(model(SHAPE, List.of(random("w1", 1, 6, 3, 3, 3),
                random("b1", 2, 6), random("fc", 3, 8, 96), random("fcb", 4, 8), random("out", 5, 8, 5),
                random("outb", 6, 5)),
            conv("x", "w1", "b1", "c1"), node("Relu", list("c1"), "r"),
            node("MaxPool", list("r"), "p", ints("kernel_shape", 2, 2), ints("strides", 2, 2)),
            node("Flatten", list("p"), "f"), node("Gemm", list("f", "fc", "fcb"), "h", i("transB", 1)),
            node("Relu", list("h"), "hr"), node("Gemm", list("hr", "out", "outb"), "y"))),
            989L, 305L, Map.of("c1", 3, "h", 4)),
        Arguments.of("two Convs → Concat → Relu → Conv", named(model(SHAPE, List.of(random("wa", 1, 4, 3, 3, 3),
                random("ba", 2, 4), random("wb", 3, 6, 3, 3, 3), random("bb", 4, 6), random("w3", 5, 5, 10, 3, 3),
                random("b3", 6, 5)),
            conv("x", "wa", "ba", "ca"), conv("x", "wb", "bb", "cb"), node("Concat", list("ca", "cb"), "cat",
                i("axis", 1)), node("Relu", list("cat"), "r"), conv("r", "w3", "b3", "y"))),
            735L, 370L, Map.of("ca", 2, "cb", 3)),
        // A residual block: Conv0 → Relu → (Conv1 → Relu → Conv2) + skip → Relu → Conv3. Conv0 and Conv2 meet in the
        // Add, so they drop the same 4 of 8 channels (ranked by their L1 norms summed); Conv1 is pruned alone.
        Arguments.of("residual Add ties Conv0 and Conv2", named(model(SHAPE, List.of(random("w0", 1, 8, 3, 3, 3),
                random("b0", 2, 8), random("w1", 3, 8, 8, 3, 3), random("w2", 4, 8, 8, 3, 3), random("b2", 5, 8),
                random("w3", 6, 4, 8, 3, 3)),
            conv("x", "w0", "b0", "c0"), node("Relu", list("c0"), "r0"),
            node("Conv", list("r0", "w1"), "c1", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
            node("Relu", list("c1"), "r1"), conv("r1", "w2", "b2", "c2"), node("Add", list("r0", "c2"), "s"),
            node("Relu", list("s"), "sr"),
            node("Conv", list("sr", "w3"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)))),
            1672L, 548L, Map.of("c0", 4, "c1", 4, "c2", 4)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void removingChannelsComputesWhatZeroingThemComputes(String name, OnnxMl.ModelProto model, long before, long after,
      Map<String, Integer> kept) throws Exception {
    Map<String, double[]> scores = new HashMap<>();
    StructuredPruning.candidates(model).forEach((out, node) -> scores.put(out,
        StructuredPruning.l1Norms(model, node)));
    StructuredPruning.Result r = StructuredPruning.prune(model, 0.5, scores);
    assertThat(parameters(model)).isEqualTo(before);
    assertThat(parameters(r.model())).isEqualTo(after);
    Map<String, Integer> pruned = new HashMap<>();
    r.layers().stream().filter(l -> l.skipped().isEmpty()).forEach(l -> pruned.put(l.output(), l.kept()));
    assertThat(pruned).isEqualTo(kept);
    // The original with the dropped filters zeroed (and their BatchNormalization's scale and bias, so the channel is
    // exactly zero downstream) computes what the pruned model computes.
    OnnxMl.ModelProto zeroed = zeroDropped(model, r.layers());
    float[] x = Graphs.values(11, (int) (2 * 3 * 64));
    float[] expected = Graphs.runOrt(zeroed, x, SHAPE);
    float[] actual = Graphs.runOrt(r.model(), x, SHAPE);
    assertThat(actual).hasSameSizeAs(expected);
    for (int k = 0; k < actual.length; k++) {
      assertThat((double) actual[k]).as("element %d", k).isCloseTo(expected[k], within(1e-5));
    }
    // And the zeroing matters: the unpruned original computes something else.
    assertThat(Graphs.runOrt(model, x, SHAPE)).isNotEqualTo(expected);
  }

  @Test
  void aResidualAddWithAnInputFromNoPrunableLayerLeavesTheLayerWholeNamingTheAdd() throws Exception {
    OnnxMl.ModelProto model = named(model(SHAPE, List.of(random("w1", 1, 3, 3, 3, 3), random("b1", 2, 3),
            random("w2", 3, 4, 3, 3, 3), random("b2", 4, 4)),
        conv("x", "w1", "b1", "c1"), node("Add", list("c1", "x"), "res"), node("Relu", list("res"), "r"),
        conv("r", "w2", "b2", "y")));
    Map<String, double[]> scores = new HashMap<>();
    StructuredPruning.candidates(model).forEach((out, node) -> scores.put(out,
        StructuredPruning.l1Norms(model, node)));
    StructuredPruning.Result r = StructuredPruning.prune(model, 0.5, scores);
    assertThat(r.layers()).extracting(StructuredPruning.Layer::output, StructuredPruning.Layer::skipped)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c1", "its channels meet Add 'res', whose other input 'x' does not"
                + " come from a prunable layer; pruning one side would misalign them"),
            org.assertj.core.groups.Tuple.tuple("y", "its channels reach the graph output 'y'"));
    assertThat(r.model()).isEqualTo(model);
  }

  @Test
  void aResidualGroupDropsTheSameChannelsInEachLayerRankedByTheirSummedScores() {
    OnnxMl.ModelProto model = named(model(SHAPE, List.of(random("w0", 1, 4, 3, 3, 3), random("w2", 4, 4, 4, 3, 3),
            random("w3", 6, 2, 4, 3, 3)),
        node("Conv", list("x", "w0"), "c0", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
        node("Conv", list("c0", "w2"), "c2", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
        node("Add", list("c0", "c2"), "s"),
        node("Conv", list("s", "w3"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))));
    // c0's own ranking would drop channels 0 and 1, c2's channels 2 and 3; summed [6, 22, 11, 12]: 0 and 2.
    Map<String, double[]> scores = Map.of("c0", new double[] {1, 2, 10, 10}, "c2", new double[] {5, 20, 1, 2});
    StructuredPruning.Result r = StructuredPruning.prune(model, 0.5, scores);
    assertThat(r.layers()).filteredOn(l -> !l.output().equals("y")).allSatisfy(l -> {
      assertThat(l.skipped()).isEmpty();
      assertThat(l.dropped()).containsExactly(0, 2);
    });
  }

  @Test
  void aTensorConcatenatedTwiceAndAGemmWithATwoDimensionalBiasAreLeftWhole() {
    OnnxMl.ModelProto model = named(model(SHAPE, List.of(random("w1", 1, 4, 3, 3, 3), random("fc", 2, 5, 512),
            random("c2", 3, 1, 5)),
        node("Conv", list("x", "w1"), "c1", ints("pads", 1, 1, 1, 1)),
        node("Concat", list("c1", "c1"), "cat", i("axis", 1)), node("Flatten", list("cat"), "f"),
        node("Gemm", list("f", "fc", "c2"), "y", i("transB", 1))));
    Map<String, double[]> scores = new HashMap<>();
    StructuredPruning.candidates(model).forEach((out, node) -> scores.put(out,
        StructuredPruning.l1Norms(model, node)));
    assertThat(StructuredPruning.candidates(model)).containsOnlyKeys("c1");
    StructuredPruning.Result r = StructuredPruning.prune(model, 0.5, scores);
    assertThat(r.layers()).extracting(StructuredPruning.Layer::skipped)
        .containsExactly("Concat 'cat' concatenates 'c1' more than once");
    assertThat(r.model()).isEqualTo(model);
  }

  @Test
  void theLowestL1FiltersGo() {
    OnnxMl.ModelProto model = model(SHAPE, List.of(random("w1", 1, 6, 3, 3, 3), random("w2", 3, 4, 6, 3, 3)),
        node("Conv", list("x", "w1"), "c1"), node("Conv", list("c1", "w2"), "y"));
    double[] l1 = StructuredPruning.l1Norms(model, model.getGraph().getNode(0));
    StructuredPruning.Result r = StructuredPruning.prune(model, 0.5, Map.of("c1", l1));
    int[] dropped = r.layers().get(0).dropped();
    assertThat(dropped).hasSize(3);
    double maxDropped = java.util.Arrays.stream(dropped).mapToDouble(d -> l1[d]).max().orElseThrow();
    for (int k = 0; k < 6; k++) {
      final int c = k;
      if (java.util.Arrays.stream(dropped).noneMatch(d -> d == c)) {
        assertThat(l1[k]).isGreaterThanOrEqualTo(maxDropped);
      }
    }
  }

  /** Each node named after its output (ONNX Runtime refuses two nodes of one name). */
  static OnnxMl.ModelProto named(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    for (int k = 0; k < g.getNodeCount(); k++) {
      g.setNode(k, g.getNode(k).toBuilder().setName(g.getNode(k).getOutput(0)));
    }
    return model.toBuilder().setGraph(g).build();
  }

  static long parameters(OnnxMl.ModelProto model) {
    return model.getGraph().getInitializerList().stream().mapToLong(t -> t.getDimsList().stream()
        .mapToLong(Long::longValue).reduce(1, (a, b) -> a * b)).sum();
  }

  /** The original with each pruned layer's dropped filters (and bias, and a following BN's scale and bias) zero. */
  static OnnxMl.ModelProto zeroDropped(OnnxMl.ModelProto model, List<StructuredPruning.Layer> layers) {
    Tensors t = new Tensors(model.getGraph());
    for (StructuredPruning.Layer l : layers) {
      if (l.skipped().isEmpty()) {
        OnnxMl.NodeProto node = model.getGraph().getNodeList().stream()
            .filter(n -> n.getOutput(0).equals(l.output())).findFirst().orElseThrow();
        int axis = node.getOpType().equals("Gemm") && OnnxProtos.intAttribute(node, "transB", 0) == 0 ? 1 : 0;
        zero(t, node.getInput(1), axis, l.dropped());
        if (node.getInputCount() > 2) {
          zero(t, node.getInput(2), 0, l.dropped());
        }
        for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
          if (n.getOpType().equals("BatchNormalization") && n.getInput(0).equals(l.output())) {
            zero(t, n.getInput(1), 0, l.dropped());
            zero(t, n.getInput(2), 0, l.dropped());
          }
        }
      }
    }
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    t.writeInto(g);
    return model.toBuilder().setGraph(g).build();
  }

  static void zero(Tensors t, String name, int axis, int[] channels) {
    long[] dims = t.dims(name);
    float[] v = t.values(name);
    long inner = 1;
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    for (int k = 0; k < v.length; k++) {
      long c = (k / inner) % dims[axis];
      for (int d : channels) {
        if (c == d) {
          v[k] = 0;
        }
      }
    }
    t.put(name, dims, v);
  }
}
