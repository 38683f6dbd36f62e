package io.edgeai4j.inference.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackend;
import io.edgeai4j.inference.backend.InferenceBackendProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The providers as {@link Backends} finds them on a machine with the CPU build of ONNX Runtime and no GPU. */
class ProvidersTest {
  @Test
  void theCpuProbeFindsOnnxRuntimeWithItsVersionAndProviders() {
    BackendProbe probe = new OnnxRuntimeCpuProvider().probe();

    assertThat(probe.available()).isTrue();
    assertThat(probe.detail()).startsWith("ONNX Runtime 1.29.0 on ").contains("providers [CPU]");
  }

  @Test
  void theCudaProbeSaysTheCpuBuildIsOnTheClassPathAndWhatItNeeds() {
    BackendProbe probe = new OnnxRuntimeCudaProvider().probe();

    assertThat(probe.available()).isFalse();
    assertThat(probe.detail()).contains("CPU build", "ONNX Runtime 1.29.0", "providers [CPU]",
        "com.microsoft.onnxruntime:onnxruntime_gpu", "CUDA 12", "cuDNN 9");
  }

  @Test
  void serviceLoaderFindsBothProvidersBestFirst() {
    List<Backends.Found> found = Backends.probeAll();

    assertThat(found).extracting(f -> f.provider().name()).containsSubsequence("onnxruntime-cuda", "onnxruntime-cpu");
    assertThat(found).filteredOn(f -> f.provider().name().startsWith("onnxruntime"))
        .extracting(f -> f.provider().priority()).containsExactly(200, 100);
  }

  @Test
  void withNoNameSelectionPicksTheCpuBackend() throws Exception {
    Backends.Found chosen = Backends.select(null, Backends.probeAll());

    assertThat(chosen.provider().name()).isEqualTo("onnxruntime-cpu");
    try (InferenceBackend backend = chosen.provider().open(BackendOptions.DEFAULT)) {
      assertThat(backend.name()).isEqualTo("onnxruntime-cpu");
    }
  }

  @Test
  void namingTheCudaBackendStopsWithEveryBackendAndItsProbe() {
    assertThatThrownBy(() -> Backends.select("onnxruntime-cuda", Backends.probeAll()))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("backend 'onnxruntime-cuda' is unavailable: the ONNX Runtime on the class path is the CPU build")
        .hasMessageContaining("onnxruntime-cuda (priority 200): unavailable")
        .hasMessageContaining("onnxruntime-cpu (priority 100): available, ONNX Runtime 1.29.0");
  }

  @Test
  void openingTheCudaBackendAnywaySaysWhy() {
    assertThatThrownBy(() -> new OnnxRuntimeCudaProvider().open(BackendOptions.DEFAULT))
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("backend onnxruntime-cuda cannot open: the ONNX Runtime on the class path is the CPU build");
  }

  /** Loads the providers where ONNX Runtime's jar is absent: they load, and their probes answer instead of throwing. */
  @Test
  void withoutOnnxRuntimeOnTheClassPathTheProbesSayUnavailable() throws Exception {
    URL ours = OnnxRuntimeCpuProvider.class.getProtectionDomain().getCodeSource().getLocation();
    URL api = InferenceBackendProvider.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {ours, api}, ClassLoader.getPlatformClassLoader())) {
      for (String name : List.of(OnnxRuntimeCpuProvider.class.getName(), OnnxRuntimeCudaProvider.class.getName())) {
        Object provider = Class.forName(name, true, loader).getConstructor().newInstance();
        Object probe = provider.getClass().getMethod("probe").invoke(provider);

        assertThat(probe.getClass().getMethod("available").invoke(probe)).isEqualTo(false);
        assertThat((String) probe.getClass().getMethod("detail").invoke(probe)).contains("ai/onnxruntime");
      }
    }
  }
}
