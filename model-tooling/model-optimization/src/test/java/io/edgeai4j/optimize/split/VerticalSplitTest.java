package io.edgeai4j.optimize.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerticalSplitTest {
  /**
   * The largest difference allowed between the composed parts and the unsplit model, relative to the largest output
   * magnitude: a slice sums the same products, but ONNX Runtime may pick another kernel for fewer channels.
   */
  static final double TOLERANCE = 1e-5;

  @TempDir Path dir;

  @ParameterizedTest(name = "K = {0}")
  @CsvSource({"2, part-00.onnx, part-14.onnx", "3, part-00.onnx, part-19.onnx"})
  void theFashionCnnSplitsEveryConvAndGemmIntoKSlicesAndComposesWithinTolerance(int k, String first, String last)
      throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(SplitModels.FASHION_CNN);

    ModelSplit split = VerticalSplit.split(model, k, List.of());

    assertThat(split.kind()).isEqualTo(ModelSplit.Kind.VERTICAL);
    assertThat(split.parts()).hasSize(5 * k + 5);
    assertThat(split.parts().get(0).fileName()).isEqualTo(first);
    assertThat(split.parts().get(split.parts().size() - 1).fileName()).isEqualTo(last);
    assertThat(split.parts().subList(0, k)).allSatisfy(p -> {
      assertThat(p.stage()).isZero();
      assertThat(p.inputs()).containsExactly("image");
      assertThat(p.model().getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType).containsExactly("Conv");
    });
    assertThat(split.parts().get(k).model().getGraph().getNode(0).getOpType()).isEqualTo("Concat");
    assertRunsInStages(split);
    assertComposesWithinTolerance(model, split, "image", new long[] {2, 1, 28, 28});
  }

  @ParameterizedTest(name = "K = {0}")
  @CsvSource({"2", "3", "5"})
  void aGemmChainWithBothWeightLayoutsAndThreeBiasShapesComposesWithinTolerance(int k) throws Exception {
    OnnxMl.ModelProto model = SplitModels.gemmChain();

    ModelSplit split = VerticalSplit.split(model, k, List.of());

    assertThat(split.parts()).hasSize(3 * k + 3);
    assertRunsInStages(split);
    assertComposesWithinTolerance(model, split, "input", new long[] {4, 12});
  }

  @Test
  void sliceNamesTheModelAlreadyHasAreMadeUnique() throws Exception {
    OnnxMl.ModelProto chain = SplitModels.gemmChain();
    OnnxMl.GraphProto.Builder g = chain.getGraph().toBuilder();
    g.setNode(1, g.getNode(1).toBuilder().setOutput(0, "h1_slice0"));
    g.setNode(2, g.getNode(2).toBuilder().setInput(0, "h1_slice0").setName("fc1_slice0"));
    OnnxMl.ModelProto model = chain.toBuilder().setGraph(g).build();

    ModelSplit split = VerticalSplit.split(model, 2, List.of("fc1"));

    assertThat(split.parts()).extracting(ModelPart::outputs).containsExactly(List.of("h1_slice0_2"),
        List.of("h1_slice1"), List.of("output"));
    assertThat(split.parts().get(0).model().getGraph().getNode(0).getName()).isEqualTo("fc1_slice0_2");
    assertComposesWithinTolerance(model, split, "input", new long[] {4, 12});
  }

  @Test
  void aDagWithAResidualAndABranchComposesWithinTolerance() throws Exception {
    OnnxMl.ModelProto model = SplitModels.dag();

    ModelSplit split = VerticalSplit.split(model, 2, List.of());

    assertRunsInStages(split);
    assertComposesWithinTolerance(model, split, "input", new long[] {3, 2, 8, 8});
  }

  @Test
  void chosenLayersAloneAreSlicedAsEvenlyAsPossibleAndSplitJsonSaysHow() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(SplitModels.FASHION_CNN);
    Path out = dir.resolve("parts");

    ModelSplit split = VerticalSplit.split(model, 3, List.of("fc2", "conv2"));
    split.withSource(SplitModels.FASHION_CNN).write(out);

    assertThat(split.parts()).extracting(ModelPart::fileName).containsExactly("part-0.onnx", "part-1.onnx",
        "part-2.onnx", "part-3.onnx", "part-4.onnx", "part-5.onnx", "part-6.onnx", "part-7.onnx", "part-8.onnx");
    assertThat(split.parts()).extracting(ModelPart::stage).containsExactly(0, 1, 1, 1, 2, 3, 3, 3, 4);
    assertThat(split.parts().get(0).outputs()).containsExactly("pool1.out");
    JsonNode json = new ObjectMapper().readTree(out.resolve("split.json").toFile());
    assertThat(json.at("/kind").asText()).isEqualTo("vertical");
    assertThat(json.at("/k").asInt()).isEqualTo(3);
    assertThat(json.at("/layers").toString()).isEqualTo(
        "[{\"layer\":\"conv2\",\"op\":\"Conv\",\"channels\":96,\"slices\":[[0,32],[32,64],[64,96]]},"
            + "{\"layer\":\"fc2\",\"op\":\"Gemm\",\"channels\":10,\"slices\":[[0,4],[4,7],[7,10]]}]");
    assertThat(json.at("/parts/1/outputs/0/shape").toString()).isEqualTo("[\"batch\",32,14,14]");
    assertThat(json.at("/parts/5/outputs/0/shape").toString()).isEqualTo("[\"batch\",4]");
    assertComposesWithinTolerance(model, split, "image", new long[] {2, 1, 28, 28});
  }

  @Test
  void refusalsNameTheLayerAndWhatWasExpected() throws Exception {
    OnnxMl.ModelProto fashion = OnnxModelFile.read(SplitModels.FASHION_CNN);

    assertThatThrownBy(() -> VerticalSplit.split(fashion, 1, List.of())).isInstanceOf(SplitException.class)
        .hasMessage("K = 1: a vertical split needs at least 2 slices per layer");
    assertThatThrownBy(() -> VerticalSplit.split(fashion, 11, List.of()))
        .hasMessage("K = 11 is more than the 10 output channels of layer fc2 (Gemm); choose the layers with --layers");
    assertThatThrownBy(() -> VerticalSplit.split(fashion, 2, List.of("conv4")))
        .hasMessageStartingWith("unknown layer 'conv4': the model has no node of that name; its Conv and Gemm layers"
            + " nearest to it: conv1, conv2, conv3");
    assertThatThrownBy(() -> VerticalSplit.split(fashion, 2, List.of("relu1")))
        .hasMessage("layer relu1 (Relu) is a Relu; a vertical split takes Conv (group 1) and Gemm layers");
    assertThatThrownBy(() -> VerticalSplit.split(SplitModels.grouped(), 2, List.of("dw")))
        .hasMessage("layer dw (Conv) has group = 2; a vertical split takes Conv layers of group 1 (their output"
            + " channels read every input channel)");
    assertThatThrownBy(() -> VerticalSplit.split(SplitModels.grouped(), 2, List.of()))
        .hasMessage("the model has no Conv (group 1) or Gemm layer to split by channels");
  }

  /** Every part reads only the model's inputs and outputs of parts of lower stages; stages are in file order. */
  static void assertRunsInStages(ModelSplit split) {
    Map<String, Integer> stageOf = new HashMap<>();
    Set<String> inputs = new HashSet<>();
    split.source().getGraph().getInputList().forEach(v -> inputs.add(v.getName()));
    int previous = 0;
    for (ModelPart p : split.parts()) {
      assertThat(p.stage()).isBetween(previous, previous + 1);
      previous = p.stage();
      for (String in : p.inputs()) {
        assertThat(inputs.contains(in) || stageOf.containsKey(in) && stageOf.get(in) < p.stage())
            .as("%s reads %s", p.fileName(), in).isTrue();
      }
      p.outputs().forEach(o -> stageOf.put(o, p.stage()));
    }
  }

  static void assertComposesWithinTolerance(OnnxMl.ModelProto model, ModelSplit split, String input, long[] shape)
      throws Exception {
    int elements = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    Map<String, float[]> inputs = Composition.input(input, 42, elements);
    Map<String, long[]> shapes = new HashMap<>(Map.of(input, shape));
    Map<String, float[]> expected = Composition.whole(model, inputs, shapes);
    Map<String, float[]> composed = Composition.compose(Composition.inOrder(split), inputs, shapes);
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] want = e.getValue();
      float[] got = composed.get(e.getKey());
      assertThat(got).as(e.getKey()).hasSameSizeAs(want);
      double scale = 1;
      double worst = 0;
      for (int i = 0; i < want.length; i++) {
        scale = Math.max(scale, Math.abs(want[i]));
        worst = Math.max(worst, Math.abs(want[i] - got[i]));
      }
      assertThat(worst).as(e.getKey()).isLessThanOrEqualTo(TOLERANCE * scale);
    }
  }
}
