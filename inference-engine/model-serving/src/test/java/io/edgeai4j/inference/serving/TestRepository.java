package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes model versions into a temporary repository: {@code y = x * scale} models of a given width. */
final class TestRepository {
  final Path root;

  TestRepository(Path root) {
    this.root = root;
  }

  /** Writes {@code <model>/<version>/} with a scale model and a model.json with the given batching object. */
  Path scale(String model, long version, int width, float scale, String batchingJson) {
    return scale(model, version, width, scale, batchingJson, 2);
  }

  /** As {@link #scale(String, long, int, float, String)}, with {@code warmup.runs}. */
  Path scale(String model, long version, int width, float scale, String batchingJson, int warmupRuns) {
    try {
      Path dir = root.resolve(model).resolve(Long.toString(version));
      OnnxTestModels.scale(dir.resolve("model.onnx"), width, scale);
      Files.writeString(dir.resolve("model.json"), modelJson(model, width, batchingJson, warmupRuns));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a random (slower) model {@code in x out}. */
  Path random(String model, long version, int in, int out, String batchingJson) {
    try {
      Path dir = root.resolve(model).resolve(Long.toString(version));
      OnnxTestModels.random(dir.resolve("model.onnx"), in, out, version);
      Files.writeString(dir.resolve("model.json"), """
          {"name": "%s",
           "inputs": [{"name": "x", "type": "float32", "shape": [-1, %d]}],
           "outputs": [{"name": "y", "type": "float32", "shape": [-1, %d]}],
           "batching": %s, "warmup": {"runs": 1}}
          """.formatted(model, in, out, batchingJson));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The batching settings with {@code "adaptive": false} added unless they name it: Triton's rule, where a batch
   * waits for company until it is full or its delay is up, for tests of that rule.
   */
  static String tritonRule(String batchingJson) {
    if (batchingJson.contains("\"adaptive\"")) {
      return batchingJson;
    }
    String body = batchingJson.trim();
    return body.equals("{}") ? "{\"adaptive\": false}"
        : body.substring(0, body.length() - 1) + ", \"adaptive\": false}";
  }

  static String modelJson(String model, int width, String batchingJson, int warmupRuns) {
    return """
        {"name": "%s", "description": "y = x * scale",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, %d]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, %d]}],
         "batching": %s,
         "warmup": {"runs": %d}}
        """.formatted(model, width, width, batchingJson, warmupRuns);
  }
}
