package io.edgeai4j.hardwaretests.tegrastats;

import java.util.List;
import java.util.Map;

/**
 * What tegrastats reported over a run: min/mean/max of each power rail's instantaneous reading (mW), of each
 * temperature (°C), of RAM used (MB) and of the GPU load (%), with the number of lines parsed and of lines that were
 * not tegrastats lines (the first {@value TegrastatsSampler#KEPT_REJECTED_LINES} kept in {@code rejectedLines}).
 * When tegrastats could not be used, {@code unavailable} says why (otherwise it is null) and every map is empty.
 * {@code ramUsedMb}, {@code ramTotalMb} and {@code gpuLoadPercent} are null when no line had them. Immutable.
 */
public record TegrastatsSummary(String unavailable, long samples, Map<String, Range> railsMw,
    Map<String, Range> temperaturesC, Range ramUsedMb, Long ramTotalMb, Range gpuLoadPercent, long rejected,
    List<String> rejectedLines) {

  /** Copies the collections. */
  public TegrastatsSummary {
    railsMw = Map.copyOf(railsMw);
    temperaturesC = Map.copyOf(temperaturesC);
    rejectedLines = List.copyOf(rejectedLines);
  }

  /** The summary of a run where tegrastats could not be used, with the reason. */
  public static TegrastatsSummary unavailable(String reason) {
    return new TegrastatsSummary(reason, 0, Map.of(), Map.of(), null, null, null, 0, List.of());
  }
}
