package io.edgeai4j.inference.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.inference.backend.BackendException;
import io.edgeai4j.inference.backend.BackendOptions;
import io.edgeai4j.inference.backend.BackendProbe;
import io.edgeai4j.inference.backend.Backends;
import io.edgeai4j.inference.backend.InferenceBackendProvider;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The provider on this machine: no GPU, no CUDA driver, no TensorRT; ONNX Runtime's CPU build on the class path. */
class TensorRtBackendProviderTest {
  private static String reasonsHere() {
    TensorRtAvailability a = TensorRt.probe();
    assertThat(a.available()).as("TensorRT on the build machine").isFalse();
    return String.join("; ", a.reasons());
  }

  @Test
  void serviceLoaderFindsTheProviderNamedTensorrtWithPriority300() {
    List<InferenceBackendProvider> providers = ServiceLoader.load(InferenceBackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();

    assertThat(providers).filteredOn(p -> p instanceof TensorRtBackendProvider).singleElement()
        .satisfies(p -> assertThat(p.name()).isEqualTo("tensorrt"))
        .satisfies(p -> assertThat(p.priority()).isEqualTo(300));
  }

  @Test
  void theProbeHereIsUnavailableWithTheNativeProbesReasonsVerbatim() {
    BackendProbe probe = new TensorRtBackendProvider().probe();
    int major = TensorRt.presetVersion().major();

    assertThat(probe.available()).isFalse();
    assertThat(probe.detail()).isEqualTo(reasonsHere())
        .startsWith("no CUDA driver (libcuda.so.1 not found (looked in: ")
        .contains("libnvinfer.so." + major + " not found (looked in: ")
        .contains("libnvonnxparser.so." + major + " not found")
        .contains("or set -Dedgeai4j.tensorrt.libraryPath=DIR");
  }

  @Test
  void anAvailableProbeNamesTheVersionsAndTheGpu() {
    TensorRtAvailability orin = new TensorRtAvailability(true, List.of(), List.of("libnvinfer.so.10: /usr/lib"),
        Optional.of(new TensorRtVersion(10, 3, 0, 30)), new TensorRtVersion(10, 6, 0, 0),
        List.of(new GpuInfo(0, "Orin", 8, 7, true, 8L << 30)));

    assertThat(TensorRtBackendProvider.describe(orin)).isEqualTo(BackendProbe.available(
        "TensorRT 10.3.0.30 (presets 10.6.0.0), GPU Orin (compute capability 8.7, integrated)"));
  }

  @Test
  void selectingTensorrtByNameFailsWithTheReasonsAndEveryBackendFound() {
    List<Backends.Found> found = Backends.probeAll();

    assertThatThrownBy(() -> Backends.select("tensorrt", found)).isInstanceOf(BackendException.class)
        .hasMessageStartingWith("backend 'tensorrt' is unavailable: " + reasonsHere() + "; backends found: ")
        .hasMessageContaining("tensorrt (priority 300): unavailable, no CUDA driver")
        .hasMessageContaining("onnxruntime-cpu (priority 100): available, ONNX Runtime");
  }

  @Test
  void withNoBackendNamedTheBestAvailableIsChosenNotTensorrt() throws BackendException {
    assertThat(Backends.select(null, Backends.probeAll()).provider().name()).isEqualTo("onnxruntime-cpu");
  }

  @Test
  void openingHereSaysWhy() {
    assertThatThrownBy(() -> new TensorRtBackendProvider().open(BackendOptions.DEFAULT))
        .isInstanceOf(BackendException.class)
        .hasMessage("backend tensorrt cannot open: load TensorRT: " + reasonsHere());
  }

  /** Loads the provider where the presets' jars (JavaCPP, TensorRT, CUDA) are absent: it loads and says why not. */
  @Test
  void withoutThePresetsOnTheClassPathTheProviderLoadsAndItsProbeSaysUnavailable() throws Exception {
    URL[] urls = {TensorRtBackendProvider.class.getProtectionDomain().getCodeSource().getLocation(),
        InferenceBackendProvider.class.getProtectionDomain().getCodeSource().getLocation(),
        TensorRt.class.getProtectionDomain().getCodeSource().getLocation(),
        LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation()};
    try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      Object provider = Class.forName(TensorRtBackendProvider.class.getName(), true, loader).getConstructor()
          .newInstance();
      Object probe = provider.getClass().getMethod("probe").invoke(provider);

      assertThat(probe.getClass().getMethod("available").invoke(probe)).isEqualTo(false);
      assertThat((String) probe.getClass().getMethod("detail").invoke(probe))
          .isEqualTo("probing TensorRT failed: java.lang.IllegalStateException: org.bytedeco:tensorrt is not on the"
              + " class path (/META-INF/maven/org.bytedeco/tensorrt/pom.properties not found)");
    }
  }
}
