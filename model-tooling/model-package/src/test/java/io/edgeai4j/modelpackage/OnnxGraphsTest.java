package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxGraphsTest {
  @TempDir Path dir;

  @Test
  void readsInputsAndOutputsOfARealModelWithoutItsInitializers() throws Exception {
    Path model = OnnxTestModels.random(dir.resolve("model.onnx"), 16, 4, 7);
    assertThat(OnnxGraphs.inputs(model)).containsExactly(new OnnxGraphs.Io("x", "float32", new long[] {-1, 16}));
    assertThat(OnnxGraphs.outputs(model)).containsExactly(new OnnxGraphs.Io("y", "float32", new long[] {-1, 4}));
  }

  @Test
  void readsAnMlp() throws Exception {
    Path model = OnnxTestModels.mlp(dir.resolve("model.onnx"), new int[] {8, 5, 3}, 1);
    assertThat(OnnxGraphs.inputs(model)).singleElement()
        .satisfies(io -> assertThat(io.shape()).containsExactly(-1, 8));
    assertThat(OnnxGraphs.outputs(model)).singleElement()
        .satisfies(io -> assertThat(io.shape()).containsExactly(-1, 3));
  }

  @Test
  void dropsInitializersListedAsInputsAndKeepsUnknownRankAsNull() throws Exception {
    OnnxMl.TypeProto noShape = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(OnnxMl.TensorProto.DataType.INT64_VALUE)).build();
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("ids").setType(noShape))
        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("W").setType(noShape))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("W"))
        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("seq").setType(OnnxMl.TypeProto.newBuilder()
            .setSequenceType(OnnxMl.TypeProto.Sequence.newBuilder().setElemType(noShape))))
        .build();
    Path model = Files.write(dir.resolve("model.onnx"),
        OnnxMl.ModelProto.newBuilder().setIrVersion(8).setGraph(graph).build().toByteArray());
    assertThat(OnnxGraphs.inputs(model)).containsExactly(new OnnxGraphs.Io("ids", "int64", null));
    assertThat(OnnxGraphs.outputs(model)).containsExactly(new OnnxGraphs.Io("seq", "sequence", null));
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      1,  float32
      11, float64
      10, float16
      16, bfloat16
      7,  int64
      2,  uint8
      9,  bool
      8,  string
      999, unknown(999)
      """)
  void spellsElementTypesAsModelJsonDoes(int number, String spelling) {
    assertThat(OnnxGraphs.elementType(number)).isEqualTo(spelling);
  }

  @Test
  void refusesGarbageAndAModelWithoutAGraph() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "not a model at all");
    assertThatThrownBy(() -> OnnxGraphs.inputs(garbage))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessageStartingWith("model.onnx is not an ONNX model: ");
    Path noGraph = Files.write(dir.resolve("empty.onnx"),
        OnnxMl.ModelProto.newBuilder().setIrVersion(8).build().toByteArray());
    assertThatThrownBy(() -> OnnxGraphs.outputs(noGraph))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessage("model.onnx is not an ONNX model: it has no graph");
    assertThatThrownBy(() -> OnnxGraphs.outputs(dir.resolve("absent.onnx")))
        .isInstanceOf(InvalidPackageException.class)
        .hasMessageStartingWith("model.onnx is not an ONNX model: cannot read ");
  }
}
