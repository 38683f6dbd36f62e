package io.edgeai4j.hardwaretests.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.hardwaretests.JetsonProbe;
import io.edgeai4j.hardwaretests.report.MemoryUse;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.cuda.Cuda;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every GPU test starts from: TensorRT loaded, the GPU, the build target, and the report's facts. */
final class GpuSuite {
  static final Path PROC_STATUS = Path.of("/proc/self/status");

  private GpuSuite() { }

  /**
   * TensorRT loaded and the first CUDA device, as the target engines are built for.
   *
   * @throws NativeBindingException TensorRT or CUDA could not be loaded, with the probe's reasons.
   */
  static BuildTarget target() throws NativeBindingException {
    TensorRtVersion version = TensorRt.load();
    List<GpuInfo> gpus = Cuda.devices();
    assertThat(gpus).as("CUDA devices (cudaGetDeviceCount): TensorRT %s is loaded but CUDA sees no GPU", version)
        .isNotEmpty();
    return new BuildTarget(version, gpus.get(0));
  }

  /** The versions of the report: the probe's facts, Java, the presets and the loaded TensorRT. */
  static Map<String, String> versions(BuildTarget target) {
    Map<String, String> versions = new LinkedHashMap<>(JetsonProbe.ofThisMachine().facts());
    versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    versions.put("preset tensorrt", JetsonProbe.presetVersion("tensorrt"));
    versions.put("preset cuda", JetsonProbe.presetVersion("cuda"));
    versions.put("preset javacpp", JetsonProbe.presetVersion("javacpp"));
    versions.put("tensorrt loaded", target.tensorRt().toString());
    TensorRtAvailability probe = TensorRt.probe();
    versions.put("tensorrt probe", probe.summary());
    return versions;
  }

  static MemoryUse memory(String phase) {
    return MemoryUse.now(phase, PROC_STATUS);
  }

  /** The report directory of the GPU tests: {@code <edgeai4j.hardware.report>/<name>}. */
  static Path reportDirectory(String name) {
    return Path.of(System.getProperty("edgeai4j.hardware.report", "target/hardware-report")).resolve(name);
  }
}
