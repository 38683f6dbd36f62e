package io.edgeai4j.inference.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test models are real ONNX models: ONNX Runtime loads and runs them with the expected results. */
class OnnxTestModelsTest {
  @TempDir Path dir;

  @Test
  void linearModelComputesXwPlusBOnABatch() throws Exception {
    Path file = OnnxTestModels.linear(dir.resolve("m/model.onnx"), 2, 2, new float[] {1, 2, 3, 4},
        new float[] {0.5f, -0.5f}, false);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {{1, 1}, {2, 0}});
        OrtSession.Result result = session.run(Map.of(OnnxTestModels.INPUT, x))) {
      float[][] y = (float[][]) result.get(0).getValue();
      assertThat(y[0]).containsExactly(4.5f, 5.5f);   // [1,1]·W + b
      assertThat(y[1]).containsExactly(2.5f, 3.5f);   // [2,0]·W + b
    }
  }

  @Test
  void softmaxOutputsSumToOne() throws Exception {
    Path file = OnnxTestModels.linear(dir.resolve("s.onnx"), 2, 3, new float[] {1, 0, -1, 0, 1, 2},
        new float[] {0, 0, 0}, true);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {{0.3f, -0.7f}});
        OrtSession.Result result = session.run(Map.of(OnnxTestModels.INPUT, x))) {
      float[] y = ((float[][]) result.get(0).getValue())[0];
      assertThat(y[0] + y[1] + y[2]).isCloseTo(1f, within(1e-6f));
    }
  }
}
