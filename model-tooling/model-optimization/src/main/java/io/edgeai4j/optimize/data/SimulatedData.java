package io.edgeai4j.optimize.data;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.edgeai4j.ingestion.simulator.MachineSimulator;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.FrequencyBand;
import io.edgeai4j.signal.SlidingWindow;
import io.edgeai4j.signal.WindowSpec;
import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.FeatureDataset;
import io.edgeai4j.training.FeatureVector;
import io.edgeai4j.training.MachineScenario;
import io.edgeai4j.training.ScenarioPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled rows from the ingestion simulator, made the way the fault classifier's training data is
 * ({@code model-tooling/fault-classifier-training}): the runs of a {@link ScenarioPlan} ({@code runsPerClass} runs of
 * each {@link FaultClass}, faults stepping in after {@value ScenarioPlan#ONSET_SECONDS} s), vibration cut into sliding
 * windows, each row labelled with the class of the block that completed its window (so the healthy start of a faulty
 * run is labelled {@code normal}, as the sensor-ingestion module labels it). Label {@code i} is
 * {@code FaultClass.values()[i]}: normal, imbalance, misalignment, outerRace, innerRace. Deterministic for a recipe.
 *
 * @param kind Windows (raw samples) or their features.
 * @param seed Seeds the plan's draw of machines, faults and simulator seeds.
 * @param runsPerClass Simulated runs of each class, at least 1.
 * @param runLength Each run's simulated length, longer than the fault onset.
 * @param windowSize Samples per window (a power of two for features, as the feature extractor needs).
 * @param hop Samples between window starts.
 */
public record SimulatedData(Kind kind, long seed, int runsPerClass, Duration runLength, int windowSize, int hop) {
  /** What a row holds. */
  public enum Kind {
    /**
     * The 10 features of the sensor-ingestion module's {@code features} message (the fault classifier's input):
     * input {@code features}, float32 {@code [rows, 10]}.
     */
    FEATURES,
    /** The raw vibration window: input {@code window}, float32 {@code [rows, 1, windowSize]} (channels first). */
    WINDOWS
  }

  /** Validates (the plan's rules included). */
  public SimulatedData {
    Objects.requireNonNull(kind, "kind");
    new ScenarioPlan(seed, runsPerClass, runLength);
    if (windowSize < 2 || hop < 1 || hop > windowSize) {
      throw new IllegalArgumentException("window size must be at least 2 and hop in [1, window size], found window "
          + windowSize + ", hop " + hop);
    }
  }

  /** The demo pipeline's windows (2048 samples, hop 1024) of the given kind. */
  public static SimulatedData of(Kind kind, long seed, int runsPerClass, Duration runLength) {
    return new SimulatedData(kind, seed, runsPerClass, runLength, FeatureDataset.WINDOW_SIZE, FeatureDataset.WINDOW_HOP);
  }

  /** The rows and their labels. */
  public record Rows(DataTensor input, DataTensor labels) {}

  /**
   * Simulates the runs and returns every row, run by run, class by class.
   *
   * @throws IllegalArgumentException When the window does not suit the feature extractor, or no run is long enough
   *     for one window.
   */
  public Rows generate() {
    FeatureExtractor extractor = kind == Kind.FEATURES ? new FeatureExtractor(windowSize,
        MachineScenario.SAMPLE_RATE_HZ, FrequencyBand.equalWidth(FeatureVector.BAND_COUNT,
        MachineScenario.SAMPLE_RATE_HZ)) : null;
    int width = kind == Kind.FEATURES ? FeatureVector.FIELDS.size() : windowSize;
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (MachineScenario scenario : new ScenarioPlan(seed, runsPerClass, runLength).scenarios()) {
      MachineSimulator simulator = new MachineSimulator(scenario.settings(), Instant.parse("2025-01-01T00:00:00Z"));
      SlidingWindow window = new SlidingWindow(new WindowSpec(windowSize, hop));
      simulator.advanceTo(scenario.duration(), new MachineSimulator.Sink() {
        @Override
        public void accept(SampleBlock block) {
          FaultClass label = FaultClass.fromLabel(block.properties().get("label"));
          window.add(block.values(), 0, block.size(), (values, end) -> {
            rows.add(extractor != null ? FeatureVector.of(extractor.extract(values)) : values.clone());
            labels.add(label.ordinal());
          });
        }

        @Override
        public void accept(Reading reading) {
          // Temperature and current are not model inputs.
        }
      });
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("runs of " + runLength + " give no window of " + windowSize
          + " samples at " + MachineScenario.SAMPLE_RATE_HZ + " Hz; expected longer runs or a smaller window");
    }
    double[] values = new double[Math.multiplyExact(rows.size(), width)];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, values, r * width, width);
    }
    long[] shape = kind == Kind.FEATURES ? new long[] {rows.size(), width} : new long[] {rows.size(), 1, width};
    DataTensor input = new DataTensor(kind == Kind.FEATURES ? "features" : "window", DataType.FLOAT_VALUE, shape,
        values);
    DataTensor label = new DataTensor("labels", DataType.INT64_VALUE, new long[] {labels.size()},
        labels.stream().mapToDouble(Integer::doubleValue).toArray());
    return new Rows(input, label);
  }
}
