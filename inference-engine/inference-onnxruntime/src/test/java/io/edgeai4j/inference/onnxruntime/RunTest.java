package io.edgeai4j.inference.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs real models and checks the results against Java arithmetic, with outputs pre-allocated and not. */
class RunTest {
  private static final int IN = 5;
  private static final int OUT = 3;

  @TempDir
  Path dir;

  private final Queue<OnnxValue> traced = new ConcurrentLinkedQueue<>();

  private OnnxRuntimeBackend backend(boolean preallocate) {
    return new OnnxRuntimeBackend("onnxruntime-cpu", OrtNatives.get().environment(), BackendOptions.DEFAULT,
        ExecutionProviders.CPU, preallocate, traced::add);
  }

  private static float[] weights() {
    SplittableRandom random = new SplittableRandom(7);
    float[] w = new float[IN * OUT];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return w;
  }

  private static final float[] BIAS = {0.5f, -0.25f, 1f};

  /** {@code x W + b} in Java, row by row. */
  private static float[] expected(float[] x, int batch, float[] w) {
    float[] y = new float[batch * OUT];
    for (int r = 0; r < batch; r++) {
      for (int o = 0; o < OUT; o++) {
        double sum = BIAS[o];
        for (int i = 0; i < IN; i++) {
          sum += x[r * IN + i] * w[i * OUT + o];
        }
        y[r * OUT + o] = (float) sum;
      }
    }
    return y;
  }

  /** The float initializers of a model file, by name (the weights a Java reference computes with). */
  private static Map<String, float[]> initializers(Path file) throws java.io.IOException {
    Map<String, float[]> initializers = new java.util.HashMap<>();
    for (ai.onnx.proto.OnnxMl.TensorProto t
        : ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(file)).getGraph()
            .getInitializerList()) {
      float[] values = new float[t.getFloatDataCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = t.getFloatData(i);
      }
      initializers.put(t.getName(), values);
    }
    return initializers;
  }

  private static float[] input(int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[batch * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 10 - 5);
    }
    return x;
  }

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(ints = {1, 7, 64})
  void linearResultsMatchJavaArithmeticWithAndWithoutPreallocatedOutputs(int batch) throws Exception {
    float[] w = weights();
    Path file = OnnxTestModels.linear(dir.resolve("linear/1/model.onnx"), IN, OUT, w, BIAS, false);
    float[] x = input(batch, batch);
    for (boolean preallocate : new boolean[] {true, false}) {
      try (OnnxRuntimeBackend backend = backend(preallocate); LoadedModel model = backend.load(file, List.of())) {
        assertThat(((OnnxRuntimeModel) model).preallocates(OnnxTestModels.OUTPUT)).isEqualTo(preallocate);
        assertThat(model.inputs()).containsExactly(new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, IN}));
        assertThat(model.outputs()).containsExactly(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, OUT}));

        Map<String, Tensor> out = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, IN}, x)));

        assertThat(out).containsOnlyKeys("y");
        assertThat(out.get("y").shape()).containsExactly(batch, OUT);
        assertThat(out.get("y").type()).isEqualTo(ElementType.FLOAT32);
        assertThat(out.get("y").toFloats()).containsExactly(expected(x, batch, w), within(1e-4f));
      }
    }
  }

  @Test
  void softmaxRowsMatchJavaAndSumToOne() throws Exception {
    float[] w = weights();
    Path file = OnnxTestModels.linear(dir.resolve("softmax.onnx"), IN, OUT, w, BIAS, true);
    float[] x = input(4, 3);
    float[] logits = expected(x, 4, w);
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      float[] y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {4, IN}, x))).get("y").toFloats();

      for (int r = 0; r < 4; r++) {
        double max = Math.max(logits[r * OUT], Math.max(logits[r * OUT + 1], logits[r * OUT + 2]));
        double sum = 0;
        for (int o = 0; o < OUT; o++) {
          sum += Math.exp(logits[r * OUT + o] - max);
        }
        for (int o = 0; o < OUT; o++) {
          assertThat(y[r * OUT + o]).isCloseTo((float) (Math.exp(logits[r * OUT + o] - max) / sum), within(1e-5f));
        }
        assertThat(y[r * OUT] + y[r * OUT + 1] + y[r * OUT + 2]).isCloseTo(1f, within(1e-5f));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7})
  void mlpResultsMatchAJavaForwardPassOverItsOwnInitializers(int batch) throws Exception {
    int[] widths = {IN, 8, 8, OUT};
    Path file = OnnxTestModels.mlp(dir.resolve("mlp.onnx"), widths, 11);
    Map<String, float[]> initializers = initializers(file);
    float[] x = input(batch, 5);
    float[] h = x;
    for (int layer = 0; layer + 1 < widths.length; layer++) {
      int in = widths[layer];
      int out = widths[layer + 1];
      float[] w = initializers.get("W" + layer);
      float[] b = initializers.get("B" + layer);
      float[] next = new float[batch * out];
      for (int r = 0; r < batch; r++) {
        for (int o = 0; o < out; o++) {
          double sum = b[o];
          for (int i = 0; i < in; i++) {
            sum += h[r * in + i] * w[i * out + o];
          }
          next[r * out + o] = layer + 2 == widths.length ? (float) sum : (float) Math.max(0, sum);
        }
      }
      h = next;
    }
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      float[] y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, IN}, x))).get("y").toFloats();

      assertThat(y).hasSize(batch * OUT).containsExactly(h, within(1e-4f));
    }
    assertThatThrownBy(() -> OnnxTestModels.mlp(dir.resolve("one.onnx"), new int[] {IN}, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 1 width(s)");
  }

  @Test
  void conv1dResultsMatchAJavaForwardPassOverItsOwnInitializers() throws Exception {
    int length = 20;
    int channels = 3;
    int layers = 2;
    int kernel = 5;
    int classes = 4;
    int batch = 2;
    Path file = OnnxTestModels.conv1d(dir.resolve("conv.onnx"), length, channels, layers, kernel, classes, 3);
    Map<String, float[]> init = initializers(file);
    SplittableRandom random = new SplittableRandom(9);
    float[] x = new float[batch * length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    float[] expected = new float[batch * classes];
    for (int r = 0; r < batch; r++) {
      double[][] h = new double[1][length];
      for (int t = 0; t < length; t++) {
        h[0][t] = x[r * length + t];
      }
      for (int layer = 0; layer < layers; layer++) {
        int in = h.length;
        float[] k = init.get("K" + layer);
        float[] b = init.get("C" + layer);
        double[][] next = new double[channels][length];
        for (int c = 0; c < channels; c++) {
          for (int t = 0; t < length; t++) {
            double sum = b[c];
            for (int i = 0; i < in; i++) {
              for (int j = 0; j < kernel; j++) {
                int at = t + j - kernel / 2;
                if (at >= 0 && at < length) {
                  sum += k[(c * in + i) * kernel + j] * h[i][at];
                }
              }
            }
            next[c][t] = Math.max(0, sum);
          }
        }
        h = next;
      }
      for (int o = 0; o < classes; o++) {
        double sum = init.get("B")[o];
        for (int c = 0; c < channels; c++) {
          double mean = 0;
          for (int t = 0; t < length; t++) {
            mean += h[c][t] / length;
          }
          sum += mean * init.get("W")[c * classes + o];
        }
        expected[r * classes + o] = (float) sum;
      }
    }
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, 1, length}, x))).get("y");

      assertThat(y.shape()).containsExactly(batch, classes);
      assertThat(y.toFloats()).containsExactly(expected, within(1e-4f));
    }
    assertThatThrownBy(() -> OnnxTestModels.conv1d(dir.resolve("even.onnx"), 8, 2, 1, 4, 2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel 4");
  }

  @Test
  void int64AndFloatInputsTogether() throws Exception {
    Path file = MoreTestModels.scaledByCount(dir.resolve("scaled.onnx"));
    ByteBuffer counts = ByteBuffer.allocateDirect(3 * 8).order(ByteOrder.nativeOrder());
    counts.asLongBuffer().put(new long[] {2, -1, 10});
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.inputs()).extracting(TensorSpec::toString).containsExactly("a:float32[-1, 2]", "n:int64[-1, 1]");

      Map<String, Tensor> out = model.run(Map.of(
          "a", Tensor.ofFloats("a", new long[] {3, 2}, 1, 2, 3, 4, 5, 6),
          "n", Tensor.wrap("n", ElementType.INT64, new long[] {3, 1}, counts)));

      assertThat(out.get("y").toFloats()).containsExactly(2, 4, -3, -4, 50, 60);
    }
  }

  @Test
  void anOutputWhoseShapeOnlyTheRunTellsIsCopiedOut() throws Exception {
    Path file = MoreTestModels.unrelatedOutputDim(dir.resolve("identity.onnx"));
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      assertThat(((OnnxRuntimeModel) model).preallocates("y")).isFalse();

      Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8))).get("y");

      assertThat(y.shape()).containsExactly(2, 4);
      assertThat(y.toFloats()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
  }

  @Test
  void inputsAndPreallocatedOutputsAreNotCopiedAndEveryNativeValueIsClosed() throws Exception {
    Path file = OnnxTestModels.scale(dir.resolve("scale.onnx"), 4, 2f);
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 4}, 1, 2, 3, 4))).get("y");

      assertThat(y.toFloats()).containsExactly(2, 4, 6, 8);
      List<OnnxTensor> tensors = traced.stream().map(OnnxTensor.class::cast).toList();
      assertThat(tensors).hasSizeGreaterThanOrEqualTo(2).allSatisfy(t -> {
        assertThat(t.ownsBuffer()).as("ONNX Runtime copied a buffer").isFalse();
        assertThat(t.isClosed()).isTrue();
      });
    }
  }

  @Test
  void aRunThatFailsInsideOnnxRuntimeIsReportedAndLeaksNothing() throws Exception {
    Path file = MoreTestModels.openWidth(dir.resolve("open.onnx"));
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 4}, 1, 2, 3, 4))).get("y").toFloats())
          .containsExactly(10, 10, 10);

      assertThatThrownBy(() -> model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 5}, 1, 2, 3, 4, 5))))
          .isInstanceOf(InferenceException.class)
          .hasMessageStartingWith("model " + file + ": the run failed: ")
          .hasMessageContaining("MatMul dimension mismatch")
          // The model left the width open, so only its kernel could tell: a failed run, not a refused input.
          .satisfies(e -> assertThat(((InferenceException) e).badInput()).isFalse());
      assertThat(traced).isNotEmpty().allSatisfy(v -> assertThat(v.isClosed()).isTrue());
    }
  }

  @Test
  void eightThreadsTimesTwoHundredConcurrentRunsAreAllCorrectAndLeakNothing() throws Exception {
    float[] w = weights();
    Path file = OnnxTestModels.linear(dir.resolve("linear.onnx"), IN, OUT, w, BIAS, false);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          int correct = 0;
          for (int i = 0; i < 200; i++) {
            int batch = 1 + (i % 4);
            float[] x = input(batch, thread * 1000L + i);
            float[] y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, IN}, x))).get("y").toFloats();
            assertThat(y).containsExactly(expected(x, batch, w), within(1e-4f));
            correct++;
          }
          return correct;
        }));
      }
      int total = 0;
      for (Future<Integer> f : futures) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(1600);
      // Per run: one input, one pre-allocated output, and the output again as the result reports it.
      assertThat(traced).hasSize(1600 * 3).allSatisfy(v -> assertThat(v.isClosed()).isTrue());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotentAndRunAfterCloseIsRefused() throws Exception {
    Path file = OnnxTestModels.scale(dir.resolve("scale.onnx"), 2, 1f);
    OnnxRuntimeBackend backend = backend(true);
    LoadedModel model = backend.load(file, List.of());
    assertThat(backend.openSessions()).isEqualTo(1);

    model.close();
    model.close();
    backend.close();
    backend.close();

    assertThat(backend.openSessions()).isZero();
    assertThatThrownBy(() -> model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 2}, 1, 2))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    assertThatThrownBy(() -> backend.load(file, List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("backend onnxruntime-cpu is closed");
  }

  @Test
  void theProbeModelRunsOnTheCpu() throws Exception {
    Path file = java.nio.file.Files.write(dir.resolve("probe.onnx"), ProbeModel.identity());
    try (OnnxRuntimeBackend backend = backend(true); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.inputs()).extracting(TensorSpec::toString).containsExactly("x:float32[1]");
      assertThat(model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1}, 42f))).get("y").toFloats())
          .containsExactly(42f);
    }
  }
}
