package io.edgeai4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Path;

/** The committed Fashion-MNIST classifier of {@code model-optimization}'s tests (287,658 parameters, 91.10 % top-1). */
public final class FashionMnistTeacher {
  /** Relative to this module's directory, where Maven runs the tests. */
  public static final Path FILE =
      Path.of("../model-optimization/src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");

  private FashionMnistTeacher() {}

  public static OnnxMl.ModelProto model() throws Exception {
    assertThat(FILE).as("the committed teacher").isRegularFile();
    return OnnxModelFile.read(FILE);
  }
}
