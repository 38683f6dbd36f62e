package io.edgeai4j.hardwaretests.tegrastats;

import java.util.Map;
import java.util.OptionalInt;

/**
 * One tegrastats line: power rails (current and running average, mW), temperatures (°C, by sensor name as printed:
 * {@code cpu}, {@code gpu}, {@code tj}, ...), RAM used and total (MB) and the GPU load ({@code GR3D_FREQ x%}) when
 * the line has it. Immutable.
 */
public record TegrastatsSample(Map<String, Rail> rails, Map<String, Double> temperaturesC, long ramUsedMb,
    long ramTotalMb, OptionalInt gpuLoadPercent) {

  /** Copies the maps. */
  public TegrastatsSample {
    rails = Map.copyOf(rails);
    temperaturesC = Map.copyOf(temperaturesC);
  }

  /** One power rail: the instantaneous reading and tegrastats' running average since it started, in mW. */
  public record Rail(long currentMw, long averageMw) {
  }
}
