package io.edgeai4j.modelupdate;

import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds real model packages (ONNX model from OnnxTestModels, model.json) in a scratch directory. */
final class TestPackages {
  private final Path scratch;

  TestPackages(Path scratch) {
    this.scratch = scratch;
  }

  /** A package of {@code y = x W + b}, {@code x: float32[-1, width]}, random weights (about 4 * width^2 bytes). */
  byte[] linear(String name, long version, int width) throws IOException {
    return linear(name, version, width, width);
  }

  /**
   * A package whose model takes {@code onnxWidth} inputs while model.json declares {@code declaredWidth}: a
   * package whose model.json lies about its inputs when they differ.
   */
  byte[] linear(String name, long version, int onnxWidth, int declaredWidth) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve(name + "-" + version + "-" + onnxWidth + "-" + declaredWidth));
    return pack(dir, name, OnnxTestModels.random(dir.resolve("model.onnx"), onnxWidth, 4, version), declaredWidth);
  }

  /** A package whose model.onnx holds {@code onnxBytes} (not an ONNX model when they are garbage). */
  byte[] withModelBytes(String name, long version, byte[] onnxBytes) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve(name + "-" + version + "-raw"));
    return pack(dir, name, Files.write(dir.resolve("model.onnx"), onnxBytes), 8);
  }

  /** Writes model.json ({@code x: float32[-1, declaredWidth]} in, {@code y: float32[-1, 4]} out) and the package. */
  private static byte[] pack(Path dir, String name, Path onnx, int declaredWidth) throws IOException {
    Path json = Files.writeString(dir.resolve("model.json"), """
        {"name": "%s", "inputs": [{"name": "x", "type": "float32", "shape": [-1, %d]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 4]}]}""".formatted(name, declaredWidth));
    return Files.readAllBytes(ModelPackage.write(dir.resolve("package.zip"), onnx, json, null));
  }

  static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
