package io.edgeai4j.train.vibration;

import io.edgeai4j.ingestion.simulator.MachineSimulator;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.signal.SlidingWindow;
import io.edgeai4j.signal.WindowSpec;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.MachineScenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Raw vibration windows of simulated runs ({@link MachineScenario}, 5 kHz), cut as the sensor-ingestion module cuts
 * its {@code windows} messages: {@code size} samples every {@code hop} ({@link SlidingWindow}), labelled with the
 * class of the block that completed the window. Deterministic: the same scenarios give the same windows in run order,
 * whatever the thread count. Stateless; thread-safe.
 */
public final class VibrationWindows {
  private VibrationWindows() {}

  /** The windows of every scenario, run by run (runs are numbered by their index in {@code scenarios}). */
  public static List<RawWindow> generate(List<MachineScenario> scenarios, int size, int hop) {
    return IntStream.range(0, scenarios.size()).parallel()
        .mapToObj(run -> windows(run, scenarios.get(run), size, hop))
        .flatMap(List::stream)
        .toList();
  }

  /** The windows of one run. */
  public static List<RawWindow> windows(int run, MachineScenario scenario, int size, int hop) {
    MachineSimulator simulator = new MachineSimulator(scenario.settings(), Instant.parse("2025-01-01T00:00:00Z"));
    SlidingWindow window = new SlidingWindow(new WindowSpec(size, hop));
    long onsetSample = scenario.fault() == FaultClass.NORMAL ? Long.MAX_VALUE
        : scenario.onset().toNanos() * MachineScenario.SAMPLE_RATE_HZ / 1_000_000_000L;
    List<RawWindow> rows = new ArrayList<>();
    long[] blockStart = {0};
    simulator.advanceTo(scenario.duration(), new MachineSimulator.Sink() {
      @Override
      public void accept(SampleBlock block) {
        FaultClass label = FaultClass.fromLabel(block.properties().get("label"));
        window.add(block.values(), 0, block.size(), (values, endOffset) -> {
          long end = blockStart[0] + endOffset;
          long start = end - size + 1;
          float[] samples = new float[size];
          for (int i = 0; i < size; i++) {
            samples[i] = (float) values[i];
          }
          rows.add(new RawWindow(run, label, start < onsetSample && onsetSample <= end, samples));
        });
        blockStart[0] += block.size();
      }

      @Override
      public void accept(Reading reading) {
        // Temperature and current are not model inputs.
      }
    });
    return rows;
  }

  /** The windows as training rows of shape {@code [1, size]}, labelled with their class's output index. */
  public static LabelledRows rows(List<RawWindow> windows) {
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("no windows");
    }
    int size = windows.get(0).values().length;
    float[] values = new float[windows.size() * size];
    int[] labels = new int[windows.size()];
    for (int i = 0; i < windows.size(); i++) {
      RawWindow w = windows.get(i);
      if (w.values().length != size) {
        throw new IllegalArgumentException("window " + i + " holds " + w.values().length + " samples, expected "
            + size + " as window 0");
      }
      System.arraycopy(w.values(), 0, values, i * size, size);
      labels[i] = w.label().ordinal();
    }
    return new LabelledRows(values, new long[] {1, size}, labels);
  }

  /** How many windows each class has. */
  public static Map<FaultClass, Integer> countByClass(List<RawWindow> windows) {
    Map<FaultClass, Integer> counts = new EnumMap<>(FaultClass.class);
    for (FaultClass c : FaultClass.values()) {
      counts.put(c, 0);
    }
    windows.forEach(w -> counts.merge(w.label(), 1, Integer::sum));
    return counts;
  }
}
