package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelInfoTest {
  @TempDir
  Path dir;

  @Test
  void aFloatModelIsNotQdqAndItsInputsExcludeInitializers() throws IOException {
    Path model = OnnxTestModels.linear(dir.resolve("m.onnx"), 3, 2, new float[6], new float[2], false);

    OnnxModelInfo info = OnnxModelInfo.read(model);

    assertThat(info.qdq()).isFalse();
    assertThat(info.inputs()).containsExactly(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, 3}));
  }

  @Test
  void qdqNodesAreFoundAtTopLevelAndInSubgraphs() throws IOException {
    assertThat(OnnxModelInfo.read(TestModels.qdq(dir.resolve("a.onnx"), false, -1, 4)).qdq()).isTrue();
    OnnxModelInfo nested = OnnxModelInfo.read(TestModels.qdq(dir.resolve("b.onnx"), true, -1, 4));
    assertThat(nested.qdq()).isTrue();
    assertThat(nested.inputs()).extracting(TensorSpec::name).containsExactly("x", "c");
  }

  @Test
  void float16InputsKeepTheirType() throws IOException {
    Path model = TestModels.relu(dir.resolve("h.onnx"), OnnxMl.TensorProto.DataType.FLOAT16, "x:-1x8");

    assertThat(OnnxModelInfo.read(model).inputs())
        .containsExactly(new TensorSpec("x", ElementType.FLOAT16, new long[] {-1, 8}));
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedNamingIt() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model at all");

    assertThatThrownBy(() -> OnnxModelInfo.read(junk)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("model file " + junk + " is not an ONNX model");
  }

  @Test
  void anInputOfAStringTypeIsRefusedNamingTheType() throws IOException {
    Path model = TestModels.relu(dir.resolve("s.onnx"), OnnxMl.TensorProto.DataType.STRING, "words:-1");

    assertThatThrownBy(() -> OnnxModelInfo.read(model)).isInstanceOf(IOException.class)
        .hasMessage("model file " + model + ": input 'words' has ONNX element type 8, expected one of "
            + ElementType.spellings());
  }
}
