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
   * The model: layer widths (the input width, any hidden widths, the output width; two widths are one dense layer,
   * more a multi-layer perceptron with ReLU between layers, {@link OnnxTestModels#mlp}), or a 1-D convolutional
   * classifier over a window ({@link OnnxTestModels#conv1d}, kernel {@value #KERNEL}, {@value #CLASSES} classes).
   *
   * @param widths At least two, each at least 1; empty for a convolutional model.
   * @param conv The convolutional model, or null.
   */
  record Size(java.util.List<Integer> widths, Conv conv) {
    /** The convolutions' kernel width. */
    static final int KERNEL = 9;
    /** The convolutional classifier's classes. */
    static final int CLASSES = 8;

    /**
     * A 1-D convolutional classifier.
     *
     * @param length The window's samples.
     * @param channels Filters per layer.
     * @param layers Convolution layers.
     */
    record Conv(int length, int channels, int layers) {}

    /** Validates and copies. */
    Size {
      widths = java.util.List.copyOf(widths);
      if (conv == null && (widths.size() < 2 || widths.stream().anyMatch(w -> w < 1))) {
        throw new IllegalArgumentException("model size needs at least two widths of at least 1, found " + widths);
      }
      if (conv != null && (conv.length() < 1 || conv.channels() < 1 || conv.layers() < 1 || !widths.isEmpty())) {
        throw new IllegalArgumentException("a convolutional model needs a length, channels and layers of at least 1,"
            + " found " + conv);
      }
    }

    /** A dense layer or an MLP. */
    Size(java.util.List<Integer> widths) {
      this(widths, null);
    }

    /** One dense layer. */
    Size(int in, int out) {
      this(java.util.List.of(in, out));
    }

    /** The number of input values of one row. */
    int in() {
      return conv != null ? conv.length() : widths.get(0);
    }

    /** The output width. */
    int out() {
      return conv != null ? CLASSES : widths.get(widths.size() - 1);
    }

    /** The shape of a one-row input. */
    long[] rowShape() {
      return conv != null ? new long[] {1, 1, conv.length()} : new long[] {1, in()};
    }

    /** The widths as an array. */
    int[] toArray() {
      return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What the model is, for model.json's description. */
    String describe() {
      if (conv != null) {
        return "1-D CNN over " + conv.length() + " samples, " + conv.layers() + " x " + conv.channels()
            + " filters of " + KERNEL;
      }
      return (widths.size() == 2 ? "dense layer " : "multi-layer perceptron ") + widths;
    }
  }

  /**
   * The dynamic batcher's settings written to {@code model.json} ({@code batching}).
   *
   * @param maxBatchSize Most rows in one run.
   * @param maxQueueDelay How long the first request of a batch may wait for more (microsecond resolution).
   * @param adaptive Whether a batch waits for company only while a run is in progress (the default) or, false,
   *     always until full or {@code maxQueueDelay} (Triton's rule).
   * @param instances Concurrent runs of the version.
   */
  record Batching(int maxBatchSize, Duration maxQueueDelay, boolean adaptive, int instances) {
    /** One request per run, none waits: the batcher only hands requests to the worker. */
    static final Batching OFF = new Batching(1, Duration.ZERO);

    /** Adaptive, one instance. */
    Batching(int maxBatchSize, Duration maxQueueDelay) {
      this(maxBatchSize, maxQueueDelay, true, 1);
    }
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
    Path file = version.resolve("model.onnx");
    Path model = size.conv() != null
        ? OnnxTestModels.conv1d(file, size.conv().length(), size.conv().channels(), size.conv().layers(), Size.KERNEL,
            Size.CLASSES, 42)
        : size.widths().size() == 2 ? OnnxTestModels.random(file, size.in(), size.out(), 42)
        : OnnxTestModels.mlp(file, size.toArray(), 42);
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("name", name);
    descriptor.put("description", size.describe() + " (benchmark)");
    ObjectNode input = descriptor.putArray("inputs").addObject().put("name", INPUT).put("type", "float32");
    com.fasterxml.jackson.databind.node.ArrayNode inputShape = input.putArray("shape").add(-1);
    long[] row = size.rowShape();
    for (int i = 1; i < row.length; i++) {
      inputShape.add(row[i]);
    }
    ObjectNode output = descriptor.putArray("outputs").addObject().put("name", OUTPUT).put("type", "float32");
    output.putArray("shape").add(-1).add(size.out());
    descriptor.putObject("batching")
        .put("maxBatchSize", batching.maxBatchSize())
        .put("maxQueueDelayMicros", batching.maxQueueDelay().toNanos() / 1000)
        .put("maxQueueSize", 1024)
        .put("requestTimeoutMillis", 20_000)
        .put("instances", batching.instances())
        .put("adaptive", batching.adaptive());
    descriptor.putObject("warmup").put("runs", 10);
    Files.write(version.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(descriptor));
    return model;
  }

  /** Closes a benchmark's server (when there is one), then deletes its repository, even if the close fails. */
  static void closeAndDelete(OnnxServing serving, Path repository) {
    try {
      if (serving != null) {
        serving.close();
      }
    } finally {
      deleteTree(repository);
    }
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
