package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorRtEngineCompilerTest {
  @Test
  void theServiceLoaderFindsTheTensorRtCompilerWithoutLoadingNativeCode() {
    List<EngineCompiler> found = ServiceLoader.load(EngineCompiler.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertThat(found).singleElement().isInstanceOf(TensorRtEngineCompiler.class);
  }

  @Test
  void withoutTensorRtABuildFailsWithTheProbesReasonsBeforeAnyStep(@TempDir Path dir) {
    assumeThat(TensorRtLibraries.ofThisProcess().find("libnvinfer.so." + PrecisionFlags.TENSORRT_MAJOR))
        .as("TensorRT is installed here: hardware-tests cover it").isEmpty();
    List<String> steps = new CopyOnWriteArrayList<>();
    BuildProgress progress = (phase, step, total) -> steps.add(phase);

    assertThatThrownBy(() -> new TensorRtEngineCompiler().compile(
        EngineBuildOptions.builder(dir.resolve("model.onnx")).build(), progress))
        .isInstanceOfSatisfying(NativeBindingException.class, e -> {
          assertThat(e.operation()).isEqualTo("load TensorRT");
          assertThat(e.getMessage()).contains("libnvinfer.so." + PrecisionFlags.TENSORRT_MAJOR + " not found");
        });
    assertThat(steps).isEmpty();
    assertThatThrownBy(() -> new TensorRtEngineCompiler().version()).isInstanceOf(NativeBindingException.class)
        .hasMessageContaining("libnvinfer.so." + PrecisionFlags.TENSORRT_MAJOR + " not found");
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void precisionPerTensorRtMajor(Precision precision) throws Exception {
    if (PrecisionFlags.TENSORRT_MAJOR == 11 && precision == Precision.FP16) {
      assertThatThrownBy(() -> PrecisionFlags.networkFlags(precision))
          .hasMessage("precision FP16: TensorRT 11 has no FP16 builder flag; precision comes from the model: convert"
              + " it to float16 first (edge model convert --fp16 IN.onnx OUT.onnx) and build that model at FP32");
      return;
    }
    int stronglyTyped = 1 << org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value;
    // TensorRT 10 refuses precision flags on a strongly typed network: FP16 is the weakly typed path.
    int expected = PrecisionFlags.TENSORRT_MAJOR == 10 && precision == Precision.FP16 ? 0 : stronglyTyped;
    assertThat(PrecisionFlags.networkFlags(precision)).isEqualTo(expected);
  }

  @Test
  void everySupportedTypeNamesAPresetDataType() {
    for (TensorDataType t : TensorDataType.values()) {
      assertThat(DataType.valueOf(t.tensorRtName()).name()).isEqualTo(t.tensorRtName());
      assertThat(TensorDataType.ofTensorRt(t.tensorRtName())).contains(t);
    }
    assertThat(TensorDataType.ofTensorRt("kBOOL")).isEmpty();
    assertThat(TensorDataType.ofTensorRt("kBF16")).isEmpty();
  }
}
