package io.edgeai4j.inference.module;

import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes model versions ({@code model.onnx} and {@code model.json}) into a test repository. */
final class TestRepository {
  /** The classifier's classes; index 0 is the normal one. */
  static final String[] CLASSES = {"normal", "imbalance", "outerRace"};

  private final Path root;

  TestRepository(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** {@code y = x * factor}, 4 wide: {@code x: float32[-1, 4]} to {@code y: float32[-1, 4]}. */
  TestRepository scaler(String name, long version, float factor) throws IOException {
    Path dir = root.resolve(name).resolve(Long.toString(version));
    OnnxTestModels.scale(dir.resolve("model.onnx"), 4, factor);
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "description": "y = %s x",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 4]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 4]}],
         "warmup": {"runs": 1}}""".formatted(name, factor));
    return this;
  }

  /**
   * A softmax classifier of features {@code rms, kurtosis, bands.band0} (kurtosis centred on 3): normal
   * (p = 0.79) at kurtosis 3, outerRace (p near 1) at kurtosis 10.
   */
  TestRepository classifier(String name, long version) throws IOException {
    Path dir = root.resolve(name).resolve(Long.toString(version));
    float[] weights = {
        0, 0, 0,
        -5, 0, 5,
        0, 0, 0};
    OnnxTestModels.linear(dir.resolve("model.onnx"), 3, 3, weights, new float[] {2, 0, 0}, true);
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "description": "fault classifier of three features",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 3]}],
         "labels": {"output": "y", "classes": ["normal", "imbalance", "outerRace"]},
         "featureInput": {"input": "x", "fields": ["rms", "kurtosis", "bands.band0"],
                          "mean": [0, 3, 0], "scale": [1, 1, 1]},
         "warmup": {"runs": 1}}""".formatted(name));
    return this;
  }

  /**
   * The classifier of {@link #classifier} with other class names ({@code ok, unbalanced, bearing}) and its
   * features in another order ({@code kurtosis, rms, bands.band0}, kurtosis centred on 3): a version whose
   * {@code model.json} must not be used for another's results.
   */
  TestRepository reorderedClassifier(String name, long version) throws IOException {
    Path dir = root.resolve(name).resolve(Long.toString(version));
    float[] weights = {
        -5, 0, 5,
        0, 0, 0,
        0, 0, 0};
    OnnxTestModels.linear(dir.resolve("model.onnx"), 3, 3, weights, new float[] {2, 0, 0}, true);
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "description": "fault classifier of three features, reordered",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 3]}],
         "labels": {"output": "y", "classes": ["ok", "unbalanced", "bearing"]},
         "featureInput": {"input": "x", "fields": ["kurtosis", "rms", "bands.band0"],
                          "mean": [3, 0, 0], "scale": [1, 1, 1]},
         "warmup": {"runs": 1}}""".formatted(name));
    return this;
  }

  /**
   * The identity on 3 features {@code rms, kurtosis, bands.band0} (no labels): its output is the row the version's
   * {@code featureInput} built, standardised with {@code mean} and {@code scale}.
   */
  TestRepository standardised(String name, long version, double[] mean, double[] scale) throws IOException {
    Path dir = root.resolve(name).resolve(Long.toString(version));
    float[] identity = {
        1, 0, 0,
        0, 1, 0,
        0, 0, 1};
    OnnxTestModels.linear(dir.resolve("model.onnx"), 3, 3, identity, new float[3], false);
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "description": "identity of three standardised features",
         "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 3]}],
         "featureInput": {"input": "x", "fields": ["rms", "kurtosis", "bands.band0"],
                          "mean": [%s, %s, %s], "scale": [%s, %s, %s]},
         "warmup": {"runs": 1}}""".formatted(name, mean[0], mean[1], mean[2], scale[0], scale[1], scale[2]));
    return this;
  }

  /** A version whose {@code model.onnx} is not a model: it loads FAILED. */
  TestRepository broken(String name, long version) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name).resolve(Long.toString(version)));
    Files.writeString(dir.resolve("model.onnx"), "not a model");
    Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "inputs": [{"name": "x", "type": "float32", "shape": [-1, 3]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 3]}],
         "featureInput": {"input": "x", "fields": ["rms", "kurtosis", "bands.band0"]}}""".formatted(name));
    return this;
  }
}
