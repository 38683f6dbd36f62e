package io.edgeai4j.optimize.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HorizontalSplitTest {
  private static final int BATCH = 3;

  @TempDir Path dir;

  static Stream<String> chainTensors() throws SplitException {
    return new Graph(SplitModels.chain().getGraph()).tensors().stream();
  }

  @ParameterizedTest
  @MethodSource("chainTensors")
  void everyTensorOfAChainIsACutWhosePartsComposeToTheModelBitForBit(String tensor) throws Exception {
    OnnxMl.ModelProto model = SplitModels.chain();

    ModelSplit split = HorizontalSplit.split(model, List.of(Set.of(tensor)));

    assertThat(split.parts()).extracting(ModelPart::fileName).containsExactly("part-0.onnx", "part-1.onnx");
    assertThat(split.parts().get(0).outputs()).containsExactly(tensor);
    assertThat(split.parts().get(1).inputs()).containsExactly(tensor);
    assertComposesExactly(model, split, "input", new long[] {BATCH, 1, 8, 8});
  }

  @Test
  void theDagTableCoversEveryTensor() throws SplitException {
    assertThat(new Graph(SplitModels.dag().getGraph()).tensors()).containsExactlyInAnyOrder(
        "input", "c1", "relu1", "c2", "skip", "sum", "relu2", "a", "b", "cat", "pooled", "flat", "output");
  }

  @ParameterizedTest(name = "{0}: separates = {1}")
  @CsvSource({
      "input, true", "c1, false", "relu1, false", "c2, false", "skip, false", "sum, true", "relu2, true",
      "a, false", "b, false", "cat, true", "pooled, true", "flat, true", "output, true"})
  void aSingleTensorOfTheDagIsACutExactlyWhenEveryPathPassesThroughIt(String tensor, boolean separates)
      throws Exception {
    OnnxMl.ModelProto model = SplitModels.dag();

    if (separates) {
      ModelSplit split = HorizontalSplit.split(model, List.of(Set.of(tensor)));
      assertComposesExactly(model, split, "input", new long[] {BATCH, 2, 8, 8});
    } else {
      assertThatThrownBy(() -> HorizontalSplit.split(model, List.of(Set.of(tensor))))
          .isInstanceOf(SplitException.class)
          .hasMessageStartingWith("cut {" + tensor + "} does not separate the inputs from the outputs: input -> ")
          .hasMessageEndingWith(" -> output does not pass through it");
    }
  }

  @ParameterizedTest(name = "cut {0}")
  @CsvSource({
      "relu1 skip, relu1 skip", "c2 skip, c2 skip", "skip c1, skip c1", "a b, a b", "input relu1, relu1 input",
      "sum output, output"})
  void aSetOfTensorsOfTheDagIsACutWhenTogetherTheySeparate(String cut, String part1Inputs)
      throws Exception {
    OnnxMl.ModelProto model = SplitModels.dag();

    ModelSplit split = HorizontalSplit.split(model, List.of(set(cut)));

    assertThat(split.parts().get(0).outputs()).containsExactly(cut.split(" "));
    assertThat(split.parts().get(1).inputs()).containsExactlyInAnyOrder(part1Inputs.split(" "));
    assertComposesExactly(model, split, "input", new long[] {BATCH, 2, 8, 8});
  }

  @Test
  void aNonSeparatingCutIsRefusedNamingTheShortestPathThatCrossesIt() {
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.dag(), List.of(Set.of("relu1"))))
        .isInstanceOf(SplitException.class)
        .hasMessage("cut {relu1} does not separate the inputs from the outputs: input -> conv_skip (Conv) -> skip"
            + " -> add (Add) -> sum -> relu2 (Relu) -> relu2 -> conv3a (Conv) -> a -> concat (Concat) -> cat"
            + " -> gap (GlobalAveragePool) -> pooled -> flatten (Flatten) -> flat -> fc (Gemm) -> output does not"
            + " pass through it");
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.dag(), List.of(set("relu1 a"))))
        .hasMessageContaining("cut {relu1, a} does not separate")
        .hasMessageContaining("input -> conv_skip (Conv) -> skip -> add (Add) -> sum -> relu2 (Relu) -> relu2"
            + " -> conv3b (Conv) -> b -> concat (Concat)");
  }

  @Test
  void anUnknownTensorIsRefusedNamingTheNearestNames() {
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.dag(), List.of(set("relu3"))))
        .isInstanceOf(SplitException.class)
        .hasMessageStartingWith("unknown tensor 'relu3': the model has no input or node output of that name;"
            + " nearest: relu1, relu2");
    assertThatThrownBy(() -> HorizontalSplit.split(OnnxModelFile.read(SplitModels.FASHION_CNN),
        List.of(set("pool2")))).hasMessageContaining("nearest: pool2.out, ");
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.dag(), List.of(set("w1"))))
        .hasMessageContaining("tensor 'w1' is an initializer");
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.dag(), List.of(Set.of())))
        .hasMessage("cut 1 is empty: a cut is a set of one or more tensors");
  }

  @Test
  void cutsOutOfOrderAreRefusedNamingThePathThatReachesTheLaterCutFirst() {
    assertThatThrownBy(() -> HorizontalSplit.split(SplitModels.chain(), List.of(set("relu2"), set("relu1"))))
        .isInstanceOf(SplitException.class)
        .hasMessage("cuts out of order: cut 2 {relu1} is not downstream of cut 1 {relu2}: input -> conv1 (Conv)"
            + " -> conv1 -> relu1 (Relu) -> relu1 does not pass through cut 1");
  }

  @Test
  void aCutInsideASubgraphIsRefusedAndTheOuterTensorsASubgraphReadsCount() throws Exception {
    OnnxMl.ModelProto model = SplitModels.withIf();

    assertThatThrownBy(() -> HorizontalSplit.split(model, List.of(set("then_y"))))
        .isInstanceOf(SplitException.class)
        .hasMessage("tensor 'then_y' is inside the subgraph of if (If): a cut cannot cross a subgraph; cut before or"
            + " after that node");
    assertThatThrownBy(() -> HorizontalSplit.split(model, List.of(set("cond"))))
        .hasMessage("cut {cond} does not separate the inputs from the outputs: input -> relu (Relu) -> r -> if (If)"
            + " -> output does not pass through it");
    ModelSplit split = HorizontalSplit.split(model, List.of(set("r")));
    assertThat(split.parts().get(1).inputs()).containsExactly("r");
    assertComposesExactly(model, split, "input", new long[] {BATCH, 4});
  }

  @Test
  void twoCutsGiveThreePartsEachComputingTheNextCutFromThePrevious() throws Exception {
    OnnxMl.ModelProto model = SplitModels.dag();

    ModelSplit split = HorizontalSplit.split(model, List.of(set("relu1 skip"), set("relu2")));

    assertThat(split.parts()).extracting(ModelPart::fileName)
        .containsExactly("part-0.onnx", "part-1.onnx", "part-2.onnx");
    assertThat(split.parts()).extracting(ModelPart::inputs)
        .containsExactly(List.of("input"), List.of("relu1", "skip"), List.of("relu2"));
    assertThat(split.parts()).extracting(ModelPart::outputs)
        .containsExactly(List.of("relu1", "skip"), List.of("relu2"), List.of("output"));
    assertThat(nodes(split.parts().get(1))).containsExactly("conv2", "add", "relu2");
    assertThat(split.parts().get(1).model().getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getName)
        .containsExactly("w2", "b2");
    assertComposesExactly(model, split, "input", new long[] {BATCH, 2, 8, 8});
  }

  @Test
  void aPartKeepsTheOpsetAndIrVersionAndItsBoundariesKeepTheOpenBatchDimension() throws Exception {
    OnnxMl.ModelProto model = SplitModels.chain();

    ModelSplit split = HorizontalSplit.split(model, List.of(set("pool1")));

    OnnxMl.ModelProto part = split.parts().get(0).model();
    assertThat(part.getIrVersion()).isEqualTo(model.getIrVersion());
    assertThat(part.getOpsetImportList()).isEqualTo(model.getOpsetImportList());
    OnnxMl.ValueInfoProto pool = part.getGraph().getOutput(0);
    assertThat(pool.getType().getTensorType().getElemType()).isEqualTo(1);
    assertThat(pool.getType().getTensorType().getShape().getDimList())
        .extracting(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam())
        .containsExactly("batch", "4", "4", "4");
    assertThat(split.parts().get(1).model().getGraph().getInput(0)).isEqualTo(pool);
  }

  @Test
  void writeGivesEachPartAndSplitJsonAndThePartsComposeFromTheFiles() throws Exception {
    Path source = dir.resolve("dag.onnx");
    OnnxModelFile.write(SplitModels.dag(), source);
    OnnxMl.ModelProto model = OnnxModelFile.read(source);
    Path out = dir.resolve("parts");

    HorizontalSplit.split(model, List.of(set("relu1 skip"), set("cat"))).withSource(source).write(out);

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("part-0.onnx", "part-1.onnx", "part-2.onnx", "split.json");
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("split.json").toFile());
    assertThat(json.at("/source/file").asText()).isEqualTo("dag.onnx");
    assertThat(json.at("/source/sha256").asText()).hasSize(64).isEqualTo(sha256(source));
    assertThat(json.at("/kind").asText()).isEqualTo("horizontal");
    assertThat(json.at("/cuts").toString()).isEqualTo("[[\"relu1\",\"skip\"],[\"cat\"]]");
    assertThat(json.at("/parts/1/file").asText()).isEqualTo("part-1.onnx");
    assertThat(json.at("/parts/1/inputs").toString()).isEqualTo(
        "[{\"name\":\"relu1\",\"type\":\"float32\",\"shape\":[\"batch\",4,8,8]},"
            + "{\"name\":\"skip\",\"type\":\"float32\",\"shape\":[\"batch\",4,8,8]}]");
    assertThat(json.at("/parts/2/outputs").toString())
        .isEqualTo("[{\"name\":\"output\",\"type\":\"float32\",\"shape\":[\"batch\",5]}]");
    float[] x = Composition.input("input", 7, BATCH * 2 * 64).get("input");
    Map<String, long[]> shapes = Map.of("input", new long[] {BATCH, 2, 8, 8});
    assertThat(bits(Composition.compose(Composition.inOrder(out), Map.of("input", x), shapes).get("output")))
        .isEqualTo(bits(Composition.whole(model, Map.of("input", x), shapes).get("output")));
  }

  @Test
  void writeRefusesADirectoryThatIsNotEmpty() throws Exception {
    Files.writeString(dir.resolve("part-7.onnx"), "old");
    ModelSplit split = HorizontalSplit.split(SplitModels.chain(), List.of(set("relu1")));

    assertThatThrownBy(() -> split.write(dir)).isInstanceOf(ModelFileException.class)
        .hasMessageContaining("is not empty (holds part-7.onnx)");
  }

  static Stream<String> fashionTensors() throws Exception {
    return new Graph(OnnxModelFile.read(SplitModels.FASHION_CNN).getGraph()).tensors().stream();
  }

  @ParameterizedTest
  @MethodSource("fashionTensors")
  void theFashionMnistCnnComposesExactlyAtEveryTensor(String tensor) throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(SplitModels.FASHION_CNN);
    OnnxMl.ValueInfoProto input = model.getGraph().getInput(0);

    ModelSplit split = HorizontalSplit.split(model, List.of(Set.of(tensor)));

    assertComposesExactly(model, split, input.getName(), new long[] {2, 1, 28, 28});
  }

  @ParameterizedTest(name = "part {0} of {1}: {2}")
  @CsvSource({"0, 2, part-0.onnx", "9, 10, part-9.onnx", "0, 11, part-00.onnx", "10, 11, part-10.onnx",
      "7, 101, part-007.onnx", "100, 101, part-100.onnx"})
  void partFileNamesArePaddedPastTenPartsSoTheySortInRunOrder(int index, int count, String name) {
    assertThat(ModelPart.fileName(index, count)).isEqualTo(name);
  }

  static void assertComposesExactly(OnnxMl.ModelProto model, ModelSplit split, String input, long[] shape)
      throws Exception {
    int elements = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    Map<String, float[]> inputs = Composition.input(input, 42, elements);
    Map<String, long[]> shapes = new HashMap<>(Map.of(input, shape));
    Map<String, float[]> expected = Composition.whole(model, inputs, shapes);
    Map<String, float[]> composed = Composition.compose(Composition.inOrder(split), inputs, shapes);
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      assertThat(composed).containsKey(e.getKey());
      assertThat(bits(composed.get(e.getKey()))).as(e.getKey()).isEqualTo(bits(e.getValue()));
    }
  }

  static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }

  static Set<String> set(String spaced) {
    return new LinkedHashSet<>(List.of(spaced.split(" ")));
  }

  private static List<String> nodes(ModelPart part) {
    return part.model().getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getName).toList();
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
