package io.edgeai4j.optimize.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelFileTest {
  @TempDir Path dir;

  @Test
  void aModelReadAndWrittenAgainIsTheSameAndLoadsInOnnxRuntime() throws Exception {
    Path original = OnnxTestModels.random(dir.resolve("dense.onnx"), 4, 3, 42);
    OnnxMl.ModelProto model = OnnxModelFile.read(original);
    Path copy = dir.resolve("out/copy.onnx");
    OnnxModelFile.writeChecked(model, copy);
    assertThat(OnnxModelFile.read(copy)).isEqualTo(model);
    try (var files = Files.list(copy.getParent())) {
      assertThat(files).as("no temporary file left").containsExactly(copy.toAbsolutePath());
    }
  }

  @Test
  void filesThatAreNotModelsAreNamedWithWhatIsWrong() throws Exception {
    Path missing = dir.resolve("missing.onnx");
    assertThatThrownBy(() -> OnnxModelFile.read(missing)).isInstanceOf(ModelFileException.class)
        .hasMessage(missing + ": no such file");
    Path text = Files.writeString(dir.resolve("text.onnx"), "not a model");
    assertThatThrownBy(() -> OnnxModelFile.read(text)).hasMessageStartingWith(text + ": not an ONNX model");
    Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
    assertThatThrownBy(() -> OnnxModelFile.read(empty)).hasMessage(empty + ": not an ONNX model: it has no graph");
  }

  @Test
  void aModelOnnxRuntimeRefusesFailsTheCheckWithItsMessage() throws Exception {
    OnnxMl.ModelProto model = OnnxModelFile.read(OnnxTestModels.random(dir.resolve("dense.onnx"), 4, 3, 42));
    // A node whose input nothing produces: the protobuf is fine, the graph is not.
    OnnxMl.ModelProto broken = model.toBuilder().setGraph(model.getGraph().toBuilder()
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").addInput("nowhere").addOutput("r"))).build();
    Path file = dir.resolve("broken.onnx");
    assertThatThrownBy(() -> OnnxModelFile.writeChecked(broken, file)).isInstanceOf(ModelFileException.class)
        .hasMessageStartingWith(file + ": ONNX Runtime refuses to load it: ").hasMessageContaining("nowhere");
  }
}
