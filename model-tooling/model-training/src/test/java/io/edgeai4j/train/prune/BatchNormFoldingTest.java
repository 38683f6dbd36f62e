package io.edgeai4j.train.prune;

import static io.edgeai4j.train.Graphs.f;
import static io.edgeai4j.train.Graphs.ints;
import static io.edgeai4j.train.Graphs.list;
import static io.edgeai4j.train.Graphs.model;
import static io.edgeai4j.train.Graphs.node;
import static io.edgeai4j.train.Graphs.positive;
import static io.edgeai4j.train.Graphs.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.Graphs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchNormFoldingTest {
  @ParameterizedTest(name = "conv bias {0}")
  @CsvSource({"true", "false"})
  void aBatchNormalizationAfterAConvFoldsIntoItsWeightsAndBias(boolean bias) throws Exception {
    long[] shape = {2, 3, 6, 6};
    List<OnnxMl.TensorProto> init = new java.util.ArrayList<>(List.of(random("w", 1, 5, 3, 3, 3),
        random("s", 3, 5), random("bb", 4, 5), random("m", 5, 5), positive("v", 6, 5)));
    if (bias) {
      init.add(random("b", 2, 5));
    }
    OnnxMl.ModelProto model = model(shape, init,
        node("Conv", bias ? list("x", "w", "b") : list("x", "w"), "c", ints("pads", 1, 1, 1, 1)),
        node("BatchNormalization", list("c", "s", "bb", "m", "v"), "n", f("epsilon", 1e-3f)),
        node("Relu", list("n"), "y"));
    OnnxMl.ModelProto folded = BatchNormFolding.fold(model);
    assertThat(folded.getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
        .containsExactly("Conv", "Relu");
    assertThat(folded.getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getName)
        .containsExactlyInAnyOrder("w_bn_folded", bias ? "b_bn_folded" : "c_bias_bn_folded");
    float[] x = Graphs.values(7, 2 * 3 * 36);
    float[] expected = Graphs.runOrt(model, x, shape);
    float[] actual = Graphs.runOrt(folded, x, shape);
    for (int k = 0; k < expected.length; k++) {
      assertThat((double) actual[k]).as("element %d", k).isCloseTo(expected[k], within(1e-5));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"the conv output is also read elsewhere", "the batch norm follows a Relu"})
  void aBatchNormalizationThatDoesNotFollowAConvAloneStays(String why) {
    long[] shape = {1, 3, 4, 4};
    List<OnnxMl.TensorProto> init = List.of(random("w", 1, 3, 3, 1, 1), random("s", 3, 3), random("bb", 4, 3),
        random("m", 5, 3), positive("v", 6, 3));
    OnnxMl.ModelProto model = why.startsWith("the conv")
        ? model(shape, init, node("Conv", list("x", "w"), "c"),
            node("BatchNormalization", list("c", "s", "bb", "m", "v"), "n"), node("Add", list("n", "c"), "y"))
        : model(shape, init, node("Conv", list("x", "w"), "c"), node("Relu", list("c"), "r"),
            node("BatchNormalization", list("r", "s", "bb", "m", "v"), "y"));
    assertThat(BatchNormFolding.fold(model)).isSameAs(model);
  }
}
