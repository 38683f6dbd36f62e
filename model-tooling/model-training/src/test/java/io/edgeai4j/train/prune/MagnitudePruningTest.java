package io.edgeai4j.train.prune;

import static io.edgeai4j.train.Graphs.i;
import static io.edgeai4j.train.Graphs.ints;
import static io.edgeai4j.train.Graphs.list;
import static io.edgeai4j.train.Graphs.model;
import static io.edgeai4j.train.Graphs.node;
import static io.edgeai4j.train.Graphs.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.Graphs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagnitudePruningTest {
  /** Conv (4x3x3x3 = 108 weights), Gemm (10x64 = 640), MatMul (10x7 = 70): three layer sizes. */
  static OnnxMl.ModelProto threeLayers() {
    return model(new long[] {2, 3, 8, 8}, List.of(random("w", 1, 4, 3, 3, 3), random("b", 2, 4),
            random("fc", 3, 10, 64), random("fcb", 4, 10), random("mm", 5, 10, 7)),
        node("Conv", list("x", "w", "b"), "c", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
        node("Relu", list("c"), "r"),
        node("MaxPool", list("r"), "p", ints("kernel_shape", 2, 2), ints("strides", 2, 2)),
        node("Flatten", list("p"), "f"),
        node("Gemm", list("f", "fc", "fcb"), "g", i("transB", 1)),
        node("MatMul", list("g", "mm"), "y"));
  }

  @ParameterizedTest(name = "per layer {0}: conv {1}, gemm {2}, matmul {3} zeros")
  @CsvSource({
      "0.0,  0,   0,   0",
      "0.25, 27,  160, 18",
      "0.5,  54,  320, 35",
      "0.9,  97,  576, 63"})
  void perLayerZeroesExactlyTheTargetShareOfEachLayer(double sparsity, long conv, long gemm, long matmul) {
    OnnxMl.ModelProto model = threeLayers();
    MagnitudePruning.Result r = MagnitudePruning.prune(model, sparsity, MagnitudePruning.Scope.PER_LAYER);
    assertThat(r.layers()).extracting(MagnitudePruning.Layer::weight, MagnitudePruning.Layer::elements,
        MagnitudePruning.Layer::zeros).containsExactly(
            org.assertj.core.groups.Tuple.tuple("w", 108L, conv),
            org.assertj.core.groups.Tuple.tuple("fc", 640L, gemm),
            org.assertj.core.groups.Tuple.tuple("mm", 70L, matmul));
    // The zeros are the smallest: every zeroed weight was no larger than every kept one, in each layer.
    for (String w : List.of("w", "fc", "mm")) {
      float[] before = values(model, w);
      float[] after = values(r.model(), w);
      float maxZeroed = 0;
      float minKept = Float.MAX_VALUE;
      for (int k = 0; k < before.length; k++) {
        if (after[k] == 0) {
          maxZeroed = Math.max(maxZeroed, Math.abs(before[k]));
        } else {
          assertThat(after[k]).isEqualTo(before[k]);
          minKept = Math.min(minKept, Math.abs(before[k]));
        }
      }
      assertThat(maxZeroed).isLessThanOrEqualTo(minKept);
    }
    assertThat(values(r.model(), "b")).isEqualTo(values(model, "b"));
  }

  @ParameterizedTest(name = "global {0}")
  @CsvSource({"0.3", "0.5", "0.8"})
  void globalZeroesTheSmallestAcrossAllLayers(double sparsity) throws Exception {
    OnnxMl.ModelProto model = threeLayers();
    MagnitudePruning.Result r = MagnitudePruning.prune(model, sparsity, MagnitudePruning.Scope.GLOBAL);
    assertThat(r.zeros()).isEqualTo(Math.round(sparsity * 818));
    assertThat(r.elements()).isEqualTo(818);
    float maxZeroed = 0;
    float minKept = Float.MAX_VALUE;
    for (String w : List.of("w", "fc", "mm")) {
      float[] before = values(model, w);
      float[] after = values(r.model(), w);
      for (int k = 0; k < before.length; k++) {
        if (after[k] == 0) {
          maxZeroed = Math.max(maxZeroed, Math.abs(before[k]));
        } else {
          minKept = Math.min(minKept, Math.abs(before[k]));
        }
      }
    }
    assertThat(maxZeroed).isLessThanOrEqualTo(minKept);
    // The pruned model still runs, and its package is smaller.
    assertThat(Graphs.runOrt(r.model(), Graphs.values(9, 2 * 3 * 64), new long[] {2, 3, 8, 8})).hasSize(14);
    assertThat(r.zippedAfter()).isLessThan(r.zippedBefore());
    assertThat(r.zippedBefore()).isEqualTo(PackageSize.zipped(model));
  }

  @Test
  void aSparsityOutsideTheRangeOrAModelWithoutWeightsIsRefused() {
    assertThatThrownBy(() -> MagnitudePruning.prune(threeLayers(), 1.0, MagnitudePruning.Scope.GLOBAL))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sparsity 1.0 is outside [0, 1)");
    OnnxMl.ModelProto relu = model(new long[] {2, 3}, List.of(), node("Relu", list("x"), "y"));
    assertThatThrownBy(() -> MagnitudePruning.prune(relu, 0.5, MagnitudePruning.Scope.GLOBAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model has no Conv, Gemm or MatMul weight initializer to prune");
  }

  static float[] values(OnnxMl.ModelProto model, String name) {
    return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name))
        .map(OnnxProtos::floatValues).findFirst().orElseThrow();
  }
}
