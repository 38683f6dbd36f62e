package io.edgeai4j.inference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Warm-up of a model whose input is a shape ({@code y = Expand(x, shape)}, {@code x} 3 rows): zero-filled inputs
 * ask for the invalid shape {@code [0, 0]}, real ones work. Such a version serves: warmed up on its golden samples
 * when it has some, else with the failed zero-input warm-up as a warning in its detail.
 */
class WarmupTest extends ServerTestBase {
  private static final String MODEL_JSON = """
      {"name": "expand", "description": "y = Expand(x, shape)",
       "inputs": [{"name": "x", "type": "float32", "shape": [3, 1]},
                  {"name": "shape", "type": "int64", "shape": [2]}],
       "outputs": [{"name": "y", "type": "float32", "shape": [3, -1]}],
       "warmup": {"runs": 2}}""";
  private static final String GOLDEN = """
      {"samples": [
        {"inputs": {"x": {"shape": [3, 1], "data": [[1], [2], [3]]},
                    "shape": {"type": "int64", "shape": [2], "data": [3, 2]}},
         "outputs": {"y": {"shape": [3, 2], "data": [[1, 1], [2, 2], [3, 3]]}}}]}""";

  private Path version(boolean golden) throws Exception {
    Path dir = root.resolve("expand/1");
    OnnxTestModels.expand(dir.resolve("model.onnx"), 3);
    Files.writeString(dir.resolve("model.json"), MODEL_JSON);
    if (golden) {
      Files.writeString(dir.resolve("golden.json"), GOLDEN);
    }
    return dir;
  }

  private VersionStatus status() {
    return f.server.models().get(0).versions().get(0);
  }

  /** Runs {@code x = [1, 2, 3]} expanded to 3 x 4 and checks the answer. */
  private void servesARealRequest() throws Exception {
    InferenceRequest request = new InferenceRequest("expand", null, Map.of(
        "x", Tensor.ofFloats("x", new long[] {3, 1}, new float[] {1, 2, 3}),
        "shape", Tensor.wrap("shape", ElementType.INT64, new long[] {2}, ByteBuffer.allocate(16)
            .order(ByteOrder.nativeOrder()).putLong(3).putLong(4).flip())), null);
    InferenceResult result = f.server.infer(request).get();
    assertThat(result.outputs().get("y").shape()).containsExactly(3, 4);
    assertThat(result.outputs().get("y").toFloats()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
  }

  @Test
  void aModelThatRefusesZerosWarmsUpOnItsGoldenSamplesAndServes() throws Exception {
    version(true);
    f.server.apply(new ServingConfig(root, Map.of("expand", VersionPolicy.latest(1))));
    assertThat(status().state()).as(status().detail()).isEqualTo(VersionState.READY);
    assertThat(status().detail()).isEqualTo("serving; golden check passed (1 samples)");
    // 2 warm-up runs on the golden sample and 1 golden run, all of them successful.
    assertThat(f.backend.loaded.get(0).runs.get()).isEqualTo(2 + 1);
    servesARealRequest();
  }

  @Test
  void withoutGoldenSamplesAFailedZeroInputWarmUpIsAWarningNotAFailure() throws Exception {
    version(false);
    f.server.apply(new ServingConfig(root, Map.of("expand", VersionPolicy.latest(1))));
    assertThat(status().state()).as(status().detail()).isEqualTo(VersionState.READY);
    assertThat(status().detail()).startsWith("serving; no golden.json, no golden check; warning: warm-up on"
        + " zero-filled inputs failed (").contains("add a golden.json to warm it up on real inputs");
    assertThat(f.metric("edgeai4j_inference_model_state", "model", "expand", "version", "1", "state", "ready"))
        .isEqualTo(1);
    servesARealRequest();
  }
}
