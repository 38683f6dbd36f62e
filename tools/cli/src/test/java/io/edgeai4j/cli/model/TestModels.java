package io.edgeai4j.cli.model;

import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.modelpackage.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes model version directories ({@code <root>/<name>/<version>/}) with a real ONNX model. */
final class TestModels {
  private TestModels() {}

  /** {@code y = 2 x}, 4 wide, with model.json and, when {@code golden}, golden.json. */
  static Path versionDir(Path root, String name, long version, boolean golden) throws IOException {
    Path dir = root.resolve(name).resolve(Long.toString(version));
    Files.createDirectories(dir);
    OnnxTestModels.scale(dir.resolve("model.onnx"), 4, 2f);
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 4]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 4]}]}""".formatted(name));
    if (golden) {
      Files.writeString(dir.resolve("golden.json"), """
          {"tolerance": {"absolute": 1e-4, "relative": 1e-3},
           "samples": [{"inputs": {"x": {"shape": [1, 4], "data": [1, 2, 3, 4]}},
                        "outputs": {"y": {"shape": [1, 4], "data": [2, 4, 6, 8]}}}]}""");
    }
    return dir;
  }

  /** The package bytes ModelPackage.write makes from {@code dir}: what publish must upload. */
  static byte[] packageBytes(Path dir, Path scratch) throws IOException {
    Path golden = dir.resolve("golden.json");
    Path zip = scratch.resolve("expected-" + System.nanoTime() + ".zip");
    ModelPackage.write(zip, dir.resolve("model.onnx"), dir.resolve("model.json"),
        Files.exists(golden) ? golden : null);
    return Files.readAllBytes(zip);
  }
}
