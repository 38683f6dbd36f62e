package io.edgeai4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes the benchmarks' models into a model repository: {@code <repository>/<name>/1/model.onnx}, the dense layer
 * {@code y = x W + b} ({@code x: float32[-1, in]}, {@code y: float32[-1, out]}, seeded random weights) that
 * {@link OnnxTestModels#random} writes for the tests or, given more than two widths, the multi-layer perceptron of
 * {@link OnnxTestModels#mlp}, and a {@code model.json} with the batching policy given.
 * Stateless.
 */
final class BenchmarkModels {
  /** The model's input: {@value OnnxTestModels#INPUT}. */
  static final String INPUT = OnnxTestModels.INPUT;
  /** The model's output: {@value OnnxTestModels#OUTPUT}. */
  static final String OUTPUT = OnnxTestModels.OUTPUT;

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkModels() {}

  /**
   * The model's layer widths: the input width, any hidden widths, the output width. Two widths are one dense
   * layer (its run time grows with {@code in x out}); more are a multi-layer perceptron with ReLU between layers
   * ({@link OnnxTestModels#mlp}), a small model of many operators.
   *
   * @param widths At least two, each at least 1.
   */
  record Size(java.util.List<Integer> widths) {
    /** Validates and copies. */
    Size {
      widths = java.util.List.copyOf(widths);
      if (widths.size() < 2 || widths.stream().anyMatch(w -> w < 1)) {
        throw new IllegalArgumentException("model size needs at least two widths of at least 1, found " + widths);
      }
    }

    /** One dense layer. */
    Size(int in, int out) {
      this(java.util.List.of(in, out));
    }

    /** The input width. */
    int in() {
      return widths.get(0);
    }

    /** The output width. */
    int out() {
      return widths.get(widths.size() - 1);
    }

    /** The widths as an array. */
    int[] toArray() {
      return widths.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /**
   * The dynamic batcher's settings written to {@code model.json} ({@code batching}).
   *
   * @param maxBatchSize Most rows in one run.
   * @param maxQueueDelay How long the first request of a batch may wait for more (microsecond resolution).
   */
  record Batching(int maxBatchSize, Duration maxQueueDelay) {
    /** One request per run, none waits: the batcher only hands requests to the worker. */
    static final Batching OFF = new Batching(1, Duration.ZERO);
  }

  /**
   * Writes version 1 of a model.
   *
   * @param repository The repository directory (created if missing).
   * @param name The model's name (its directory).
   * @return {@code <repository>/<name>/1/model.onnx}.
   */
  static Path write(Path repository, String name, Size size, Batching batching) throws IOException {
    Path version = repository.resolve(name).resolve("1");
    Path model = size.widths().size() == 2
        ? OnnxTestModels.random(version.resolve("model.onnx"), size.in(), size.out(), 42)
        : OnnxTestModels.mlp(version.resolve("model.onnx"), size.toArray(), 42);
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("name", name);
    descriptor.put("description", (size.widths().size() == 2 ? "dense layer " : "multi-layer perceptron ")
        + size.widths() + " (benchmark)");
    ObjectNode input = descriptor.putArray("inputs").addObject().put("name", INPUT).put("type", "float32");
    input.putArray("shape").add(-1).add(size.in());
    ObjectNode output = descriptor.putArray("outputs").addObject().put("name", OUTPUT).put("type", "float32");
    output.putArray("shape").add(-1).add(size.out());
    descriptor.putObject("batching")
        .put("maxBatchSize", batching.maxBatchSize())
        .put("maxQueueDelayMicros", batching.maxQueueDelay().toNanos() / 1000)
        .put("maxQueueSize", 1024)
        .put("requestTimeoutMillis", 20_000)
        .put("instances", 1);
    descriptor.putObject("warmup").put("runs", 10);
    Files.write(version.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(descriptor));
    return model;
  }

  /** Deletes a directory tree the benchmark made (best effort: a benchmark must not fail on cleanup). */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }
}
