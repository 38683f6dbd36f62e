package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.inference.testing.OnnxTestModels;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.ChildProcessEngineBuilder;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading on this machine: what is resolved in Java, and where it stops without TensorRT. */
class TensorRtBackendTest {
  @TempDir
  Path dir;

  private TensorRtBackend backend(EngineBudget budget, int maxEngines) {
    return new TensorRtBackend(new TensorRtSettings(dir.resolve("engines"), maxEngines), budget,
        ChildProcessEngineBuilder.builder().build());
  }

  private Path linear(String version) throws IOException {
    return OnnxTestModels.linear(dir.resolve("fault/" + version + "/model.onnx"), 4, 3, new float[12], new float[3],
        true);
  }

  @Test
  void aFloatModelWithBatchingBuildsFp32WithABatchProfileFromMaxBatchSize() throws Exception {
    Path model = linear("1");
    Files.writeString(model.resolveSibling("model.json"), """
        {"name": "fault", "inputs": [{"name": "x", "type": "float32", "shape": [-1, 4]}],
         "outputs": [{"name": "y", "type": "float32", "shape": [-1, 3]}],
         "batching": {"maxBatchSize": 16, "instances": 2}}""");

    TensorRtBackend.Resolved r = TensorRtBackend.resolve(model, List.of());

    assertThat(r.precision()).isEqualTo(Precision.FP32);
    assertThat(r.settings().instances()).isEqualTo(2);
    assertThat(r.profiles()).containsExactly(new ShapeProfile("x", new long[] {1, 4}, new long[] {8, 4},
        new long[] {16, 4}));
    EngineBuildOptions options = r.options(dir.resolve("engines"), new TensorRtVersion(10, 3, 0, 30),
        new GpuInfo(0, "Orin (nvgpu)", 8, 7, true, 8L << 30));
    assertThat(options.precision()).isEqualTo(Precision.FP32);
    assertThat(options.profiles()).isEqualTo(r.profiles());
    assertThat(options.workspaceBytes()).isEqualTo(1L << 30);
    assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(options.timingCache()).contains(dir.resolve("engines/timing/10.3.0.30-Orin_nvgpu_-sm87.cache"));
  }

  @Test
  void aQdqModelBuildsInt8AndFp16IsTakenFromModelJson() throws Exception {
    Path qdq = TestModels.qdq(dir.resolve("q/1/model.onnx"), false, -1, 4);
    assertThat(TensorRtBackend.resolve(qdq, List.of()).precision()).isEqualTo(Precision.INT8);

    Path model = linear("2");
    Files.writeString(model.resolveSibling("model.json"), """
        {"tensorrt": {"precision": "fp16", "workspaceMiB": 512}}""");
    TensorRtBackend.Resolved r = TensorRtBackend.resolve(model, List.of());
    assertThat(r.precision()).isEqualTo(Precision.FP16);
    assertThat(r.settings().workspaceBytes()).isEqualTo(512L << 20);
    assertThat(r.profiles()).extracting(p -> p.max()[0]).containsExactly(32L);
  }

  @Test
  void declaredInputsThatDifferAreRefusedBeforeAnyBuild() throws Exception {
    Path model = linear("3");

    assertThatThrownBy(() -> backend(new EngineBudget(new PrometheusRegistry()), 16).load(model,
        List.of(new TensorSpec("x", ElementType.FLOAT64, new long[] {-1, 5}))))
        .isInstanceOf(BackendException.class)
        .hasMessage("model file " + model + ": its inputs differ from those declared: input 'x' is declared float64,"
            + " the model has float32; input 'x' is declared with shape [-1, 5], the model has [-1, 4] (dimension 1"
            + " is 5 against 4)");
  }

  @Test
  void settingsTheModelCannotHonourAreRefusedNamingTheFile() throws Exception {
    Path model = TestModels.relu(dir.resolve("img/1/model.onnx"), OnnxMl.TensorProto.DataType.FLOAT, "img:-1x3x-1x-1");

    assertThatThrownBy(() -> TensorRtBackend.resolve(model, List.of())).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("model file " + model + ": input 'img' [-1, 3, -1, -1] has dynamic dimension(s)");
    Files.writeString(model.resolveSibling("model.json"), "{\"tensorrt\": {\"precision\": \"int8\"}}");
    assertThatThrownBy(() -> TensorRtBackend.resolve(model, List.of())).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("model file " + model + ": tensorrt.precision is int8 but the model has no");
  }

  @Test
  void missingFilesAreRefused() {
    assertThatThrownBy(() -> backend(new EngineBudget(new PrometheusRegistry()), 16).load(dir.resolve("none.onnx"),
        List.of())).isInstanceOf(BackendException.class).hasMessage("model file " + dir.resolve("none.onnx")
        + " does not exist");
    assertThatThrownBy(() -> backend(new EngineBudget(new PrometheusRegistry()), 16).load(dir, List.of()))
        .isInstanceOf(BackendException.class).hasMessage("model file " + dir + " is not a readable regular file");
  }

  @Test
  void withoutTensorRtTheLoadFailsWithTheProbesReasonsAndGivesItsEngineBack() throws Exception {
    EngineBudget budget = new EngineBudget(new PrometheusRegistry());
    Path model = linear("4");

    assertThatThrownBy(() -> backend(budget, 16).load(model, List.of())).isInstanceOf(BackendException.class)
        .hasMessage("model file " + model + ": TensorRT could not load it: load TensorRT: "
            + String.join("; ", TensorRt.probe().reasons()));
    assertThat(budget.loaded()).isZero();
    assertThat(dir.resolve("engines")).doesNotExist();
  }

  @Test
  void pastTheEngineLimitALoadIsRefusedBeforeAnythingNativeAndSaysToRestart() throws Exception {
    EngineBudget budget = new EngineBudget(new PrometheusRegistry());
    budget.reserve(2, "fault/1");
    budget.reserve(2, "fault/2");
    Path model = linear("5");

    assertThatThrownBy(() -> backend(budget, 2).load(model, List.of())).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("cannot load " + model + ": 2 TensorRT engines are loaded in this process, the limit"
            + " is 2 (EDGEAI4J_TENSORRT_MAX_ENGINES)")
        .hasMessageEndingWith("restart the module to load this model");
    assertThat(budget.loaded()).isEqualTo(2);
  }

  @Test
  void aClosedBackendRefusesLoadsAndCloseIsIdempotent() throws Exception {
    TensorRtBackend backend = backend(new EngineBudget(new PrometheusRegistry()), 16);
    backend.close();
    backend.close();
    Path model = linear("6");

    assertThatThrownBy(() -> backend.load(model, List.of())).isInstanceOf(IllegalStateException.class)
        .hasMessage("backend tensorrt is closed");
    assertThat(Optional.of(backend.name())).contains("tensorrt");
  }
}
