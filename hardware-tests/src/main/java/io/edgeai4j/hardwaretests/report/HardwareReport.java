package io.edgeai4j.hardwaretests.report;

import io.edgeai4j.hardwaretests.tegrastats.TegrastatsSummary;
import io.edgeai4j.nativebindings.cuda.GpuInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run of the hardware suite measured: when and where it ran, the GPU (null when none was found), the
 * versions (presets, TensorRT, CUDA, L4T, Java), the model runs, memory at named points and what tegrastats
 * reported (or why it could not). Written by {@link ReportWriter}. Immutable.
 */
public record HardwareReport(String createdAt, String host, GpuInfo gpu, Map<String, String> versions,
    List<ModelRun> runs, List<MemoryUse> memory, TegrastatsSummary tegrastats) {

  /** Copies the collections. */
  public HardwareReport {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(tegrastats, "tegrastats");
    versions = Map.copyOf(versions);
    runs = List.copyOf(runs);
    memory = List.copyOf(memory);
  }
}
