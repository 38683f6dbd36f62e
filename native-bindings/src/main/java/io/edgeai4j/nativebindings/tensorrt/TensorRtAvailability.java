package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.cuda.GpuInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TensorRt#probe()} found: whether TensorRT can be used here and, when not, every reason (what was tried
 * and what is missing, with the fix).
 *
 * @param available Whether TensorRT and a CUDA device can be used.
 * @param reasons Why not; empty when available.
 * @param loaded The system libraries found and loaded, as {@code soname: path}.
 * @param library The loaded TensorRT's version, when it could be loaded.
 * @param preset The TensorRT version of the presets this build was compiled against.
 * @param gpus The CUDA devices, when the runtime could be asked.
 */
public record TensorRtAvailability(boolean available, List<String> reasons, List<String> loaded,
    Optional<TensorRtVersion> library, TensorRtVersion preset, List<GpuInfo> gpus) {
  public TensorRtAvailability {
    reasons = List.copyOf(reasons);
    loaded = List.copyOf(loaded);
    gpus = List.copyOf(gpus);
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(preset, "preset");
    if (available != reasons.isEmpty()) {
      throw new IllegalArgumentException("available is " + available + " with reasons " + reasons);
    }
  }

  /** One line: {@code TensorRT 10.3.0.30 (presets 10.6.0.0), GPU Orin 8.7} or the reasons joined by {@code ; }. */
  public String summary() {
    return available
        ? "TensorRT " + library.map(Object::toString).orElse("?") + " (presets " + preset + "), GPU "
            + gpus.stream().map(g -> g.name() + " " + g.computeCapability()).toList()
        : String.join("; ", reasons);
  }
}
