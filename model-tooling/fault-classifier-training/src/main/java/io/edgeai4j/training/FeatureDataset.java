package io.edgeai4j.training;

import io.edgeai4j.ingestion.simulator.MachineSimulator;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.FrequencyBand;
import io.edgeai4j.signal.SlidingWindow;
import io.edgeai4j.signal.WindowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Labelled feature rows of simulated runs, made the way the sensor-ingestion module makes its {@code features}
 * messages in the demo pipeline: vibration blocks cut into sliding windows of {@value #WINDOW_SIZE} samples every
 * {@value #WINDOW_HOP} ({@link SlidingWindow}), features by a {@link FeatureExtractor} with
 * {@link FrequencyBand#equalWidth 4 equal-width bands} and the Hann taper, and the label of the block that completed
 * the window. Deterministic: the same scenarios give the same rows, in the same order, whatever the thread count.
 * Stateless; thread-safe.
 */
public final class FeatureDataset {
  /** Samples per window in the demo pipeline. */
  public static final int WINDOW_SIZE = 2048;
  /** Samples between window starts in the demo pipeline. */
  public static final int WINDOW_HOP = 1024;

  private FeatureDataset() {}

  /** The rows of every scenario, run by run (runs are numbered by their index in {@code scenarios}). */
  public static List<LabelledWindow> generate(List<MachineScenario> scenarios) {
    return IntStream.range(0, scenarios.size()).parallel()
        .mapToObj(run -> windows(run, scenarios.get(run)))
        .flatMap(List::stream)
        .toList();
  }

  /** The rows of one run. */
  public static List<LabelledWindow> windows(int run, MachineScenario scenario) {
    MachineSimulator simulator = new MachineSimulator(scenario.settings(), Instant.parse("2025-01-01T00:00:00Z"));
    SlidingWindow window = new SlidingWindow(new WindowSpec(WINDOW_SIZE, WINDOW_HOP));
    FeatureExtractor extractor = new FeatureExtractor(WINDOW_SIZE, MachineScenario.SAMPLE_RATE_HZ,
        FrequencyBand.equalWidth(FeatureVector.BAND_COUNT, MachineScenario.SAMPLE_RATE_HZ));
    List<LabelledWindow> rows = new ArrayList<>();
    simulator.advanceTo(scenario.duration(), new MachineSimulator.Sink() {
      @Override
      public void accept(SampleBlock block) {
        FaultClass label = FaultClass.fromLabel(block.properties().get("label"));
        window.add(block.values(), 0, block.size(),
            (values, end) -> rows.add(new LabelledWindow(run, label, FeatureVector.of(extractor.extract(values)))));
      }

      @Override
      public void accept(Reading reading) {
        // Temperature and current are not classifier inputs.
      }
    });
    return rows;
  }

  /** How many rows each class has. */
  public static Map<FaultClass, Integer> countByClass(List<LabelledWindow> rows) {
    Map<FaultClass, Integer> counts = new EnumMap<>(FaultClass.class);
    for (FaultClass c : FaultClass.values()) {
      counts.put(c, 0);
    }
    rows.forEach(row -> counts.merge(row.label(), 1, Integer::sum));
    return counts;
  }
}
