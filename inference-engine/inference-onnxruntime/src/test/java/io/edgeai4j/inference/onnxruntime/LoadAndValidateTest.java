package io.edgeai4j.inference.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.OptimizationLevel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.testing.OnnxTestModels;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading (files, declared inputs, options, the optimised-model cache) and the validation of a run's inputs. */
class LoadAndValidateTest {
  @TempDir
  Path dir;

  private static OnnxRuntimeBackend backend(BackendOptions options) {
    return new OnnxRuntimeBackend("onnxruntime-cpu", OrtNatives.get().environment(), options, ExecutionProviders.CPU);
  }

  private static Tensor floats(String name, long[] shape) {
    return Tensor.ofFloats(name, shape, new float[(int) Tensor.elementCount(shape)]);
  }

  private static Tensor longs(String name, long[] shape) {
    return Tensor.wrap(name, ElementType.INT64, shape, ByteBuffer.allocate((int) Tensor.elementCount(shape) * 8));
  }

  private static Tensor doubles(String name, long[] shape) {
    return Tensor.wrap(name, ElementType.FLOAT64, shape, ByteBuffer.allocate((int) Tensor.elementCount(shape) * 8));
  }

  private static Map<String, Tensor> inputs(Tensor... tensors) {
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      map.put(t.name(), t);
    }
    return map;
  }

  /** The model {@code scaled} ({@code a: float32[-1, 2]}, {@code n: int64[-1, 1]}) or {@code fixed} ({@code x: float32[1, 4]}). */
  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("scaled", "n missing", inputs(floats("a", new long[] {1, 2})),
            "input 'n' (n:int64[-1, 1]) is missing"),
        Arguments.of("scaled", "none given", inputs(),
            "input 'a' (a:float32[-1, 2]) is missing; input 'n' (n:int64[-1, 1]) is missing"),
        Arguments.of("scaled", "unknown input",
            inputs(floats("a", new long[] {1, 2}), longs("n", new long[] {1, 1}), floats("z", new long[] {1})),
            "input 'z' is not an input of the model, expected [a, n]"),
        Arguments.of("scaled", "wrong element type",
            inputs(doubles("a", new long[] {1, 2}), longs("n", new long[] {1, 1})),
            "input 'a': element type float64, expected float32"),
        Arguments.of("scaled", "wrong rank", inputs(floats("a", new long[] {2}), longs("n", new long[] {1, 1})),
            "input 'a': shape [2] has 1 dimensions, expected 2 as in [-1, 2]"),
        Arguments.of("scaled", "wrong dimension", inputs(floats("a", new long[] {1, 3}), longs("n", new long[] {1, 1})),
            "input 'a': shape [1, 3] does not match [-1, 2] (dimension 1 is 3, expected 2)"),
        Arguments.of("scaled", "batch sizes differ",
            inputs(floats("a", new long[] {2, 2}), longs("n", new long[] {3, 1})),
            "input 'n': batch size (dimension 0) is 3, expected 2 as in input 'a'"),
        Arguments.of("scaled", "two problems at once",
            inputs(floats("a", new long[] {1, 3}), floats("n", new long[] {1, 1})),
            "input 'a': shape [1, 3] does not match [-1, 2] (dimension 1 is 3, expected 2); "
                + "input 'n': element type float32, expected int64"),
        Arguments.of("fixed", "batch of a fixed-batch model", inputs(floats("x", new long[] {2, 4})),
            "input 'x': shape [2, 4] does not match [1, 4] (dimension 0 is 2, expected 1)"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badInputs")
  void badInputsAreRefusedNamingTheTensorWhatWasFoundAndWhatWasExpected(String modelName, String what,
      Map<String, Tensor> given, String expected) throws Exception {
    Path file = modelName.equals("scaled") ? MoreTestModels.scaledByCount(dir.resolve("scaled.onnx"))
        : MoreTestModels.fixedBatch(dir.resolve("fixed.onnx"));
    try (OnnxRuntimeBackend backend = backend(BackendOptions.DEFAULT); LoadedModel model = backend.load(file, List.of())) {
      assertThatThrownBy(() -> model.run(given))
          .isInstanceOf(InferenceException.class)
          .hasMessage("model " + file + ": " + expected)
          .satisfies(e -> assertThat(((InferenceException) e).badInput()).isTrue());
    }
  }

  @Test
  void declaredInputsThatDifferAreRefusedWithEveryDifferenceAndNoSessionLeft() throws Exception {
    Path file = MoreTestModels.scaledByCount(dir.resolve("scaled.onnx"));
    List<TensorSpec> declared = List.of(
        new TensorSpec("a", ElementType.FLOAT64, new long[] {-1, 3}),
        new TensorSpec("q", ElementType.FLOAT32, new long[] {1}));
    try (OnnxRuntimeBackend backend = backend(BackendOptions.DEFAULT)) {
      assertThatThrownBy(() -> backend.load(file, declared))
          .isInstanceOf(BackendException.class)
          .hasMessage("model file " + file + ": its inputs differ from those declared: "
              + "input 'a' is declared float64, the model has float32; "
              + "input 'a' is declared with shape [-1, 3], the model has [-1, 2] (dimension 1 is 3 against 2); "
              + "input 'q' is declared but the model has no such input; "
              + "the model's input 'n' (n:int64[-1, 1]) is not declared");
      assertThat(backend.openSessions()).isZero();
    }
  }

  @Test
  void declaredInputsFitWhenEqualOrOpenOnEitherSide() throws Exception {
    Path file = MoreTestModels.scaledByCount(dir.resolve("scaled.onnx"));
    List<TensorSpec> declared = List.of(
        new TensorSpec("n", ElementType.INT64, new long[] {8, -1}),
        new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 2}));
    try (OnnxRuntimeBackend backend = backend(BackendOptions.DEFAULT); LoadedModel model = backend.load(file, declared)) {
      assertThat(model.inputs()).extracting(TensorSpec::name).containsExactly("a", "n");
    }
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path file = dir.resolve("nope/model.onnx");
    try (OnnxRuntimeBackend backend = backend(BackendOptions.DEFAULT)) {
      assertThatThrownBy(() -> backend.load(file, List.of()))
          .isInstanceOf(BackendException.class).hasMessage("model file " + file + " does not exist");
      assertThatThrownBy(() -> backend.load(dir, List.of()))
          .isInstanceOf(BackendException.class).hasMessage("model file " + dir + " is not a readable regular file");
    }
  }

  @Test
  void aCorruptFileIsNamedWithOnnxRuntimesMessageAndNoSessionLeft() throws Exception {
    Path file = Files.write(dir.resolve("model.onnx"), "this is not a protobuf".getBytes());
    try (OnnxRuntimeBackend backend = backend(BackendOptions.DEFAULT)) {
      assertThatThrownBy(() -> backend.load(file, List.of()))
          .isInstanceOf(BackendException.class)
          .hasMessageStartingWith("model file " + file + ": ONNX Runtime could not load it: ")
          .hasMessageContaining("Protobuf parsing failed");
      assertThat(backend.openSessions()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizationLevel.class)
  void everyOptionMapsToOnnxRuntimeAndRuns(OptimizationLevel level) throws Exception {
    assertThat(OnnxRuntimeBackend.optLevel(level).name()).startsWith(level == OptimizationLevel.NONE ? "NO" : level.name());
    Path file = OnnxTestModels.scale(dir.resolve("scale.onnx"), 3, 3f);
    BackendOptions options = BackendOptions.builder().intraOpThreads(2).interOpThreads(2).optimizationLevel(level)
        .build();
    try (OnnxRuntimeBackend backend = backend(options); LoadedModel model = backend.load(file, List.of())) {
      assertThat(model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, 1, 2, 3))).get("y").toFloats())
          .containsExactly(3, 6, 9);
    }
  }

  @Test
  void theOptimizedModelIsWrittenToTheCacheOncePerModelAndLoadedFromThereNextTime() throws Exception {
    Path cache = dir.resolve("cache");
    Path first = OnnxTestModels.scale(dir.resolve("repo/a/1/model.onnx"), 3, 2f);
    Path second = OnnxTestModels.scale(dir.resolve("repo/b/1/model.onnx"), 3, 5f);
    BackendOptions options = BackendOptions.builder().optimizedModelCache(cache).build();
    Map<String, Tensor> x = Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, 1, 2, 3));

    try (OnnxRuntimeBackend backend = backend(options);
        LoadedModel a = backend.load(first, List.of());
        LoadedModel b = backend.load(second, List.of())) {
      assertThat(((OnnxRuntimeModel) a).source()).isEqualTo(first);
      assertThat(a.run(x).get("y").toFloats()).containsExactly(2, 4, 6);
      assertThat(b.run(x).get("y").toFloats()).containsExactly(5, 10, 15);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(cache)) {
      files = list.toList();
    }
    assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f.getFileName().toString())
        .matches("model-[0-9a-f]{16}\\.optimized\\.onnx"));

    try (OnnxRuntimeBackend backend = backend(options); LoadedModel a = backend.load(first, List.of())) {
      assertThat(((OnnxRuntimeModel) a).source()).isIn(files);
      assertThat(a.run(x).get("y").toFloats()).containsExactly(2, 4, 6);
    }
  }

  @Test
  void aCorruptCachedModelIsReplaced() throws Exception {
    Path cache = dir.resolve("cache");
    Path file = OnnxTestModels.scale(dir.resolve("model.onnx"), 3, 2f);
    BackendOptions options = BackendOptions.builder().optimizedModelCache(cache).build();
    try (OnnxRuntimeBackend backend = backend(options)) {
      backend.load(file, List.of()).close();
      Path cached;
      try (Stream<Path> list = Files.list(cache)) {
        cached = list.findFirst().orElseThrow();
      }
      Files.write(cached, "garbage".getBytes());

      try (LoadedModel model = backend.load(file, List.of())) {
        assertThat(((OnnxRuntimeModel) model).source()).isEqualTo(file);
        assertThat(model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, 1, 2, 3))).get("y").toFloats())
            .containsExactly(2, 4, 6);
      }
      try (LoadedModel model = backend.load(file, List.of())) {
        assertThat(((OnnxRuntimeModel) model).source()).isEqualTo(cached);
      }
      try (Stream<Path> list = Files.list(cache)) {
        assertThat(list.toList()).containsExactly(cached);
      }
      assertThat(backend.openSessions()).isZero();
    }
  }
}
