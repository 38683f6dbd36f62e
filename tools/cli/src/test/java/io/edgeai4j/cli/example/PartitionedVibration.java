package io.edgeai4j.cli.example;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.simulator.MachineSimulator;
import io.edgeai4j.ingestion.simulator.SimulatorSettings;
import io.edgeai4j.ingestion.simulator.SimulatorSourceProvider;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SourceConfigException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The example of {@code deployment-manifests/partitioned-vibration}: its files, the windows its simulator sources
 * produce (computed offline, as sensor-ingestion cuts them), and the models run in ONNX Runtime.
 */
final class PartitionedVibration {
  /** The repository root: tests run in tools/cli. */
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path EXAMPLE = ROOT.resolve("deployment-manifests/partitioned-vibration");
  static final Path MODEL_VERSION = ROOT.resolve("model-repository/vibration-cnn/1");
  static final Path PART_0 = EXAMPLE.resolve("models/device/vibration-cnn-part-0/1");
  static final Path PART_1 = EXAMPLE.resolve("models/edge/vibration-cnn-part-1/1");
  static final List<String> CLASSES = List.of("normal", "imbalance", "misalignment", "outerRace", "innerRace");

  /**
   * One window of raw vibration as sensor-ingestion sends it.
   *
   * @param sensor The vibration sensor.
   * @param index The window's number: it holds samples {@code [index × hop, index × hop + size)}.
   * @param values The samples as the model takes them (float32).
   * @param label The ground truth of the block that completed the window (the message's {@code label}).
   * @param onset Whether the window straddles a fault's onset (labelled with the fault, partly healthy).
   */
  record Window(String sensor, int index, float[] values, String label, boolean onset) {}

  private PartitionedVibration() {
  }

  /**
   * The windows of one simulator source over its whole {@code durationSeconds}: the simulator is deterministic in the
   * sample index, so these are the module's windows whatever the wall clock did.
   *
   * @param source The source's settings from the twin (with {@code "type": "simulator"}).
   */
  static List<Window> windows(ObjectNode source, int size, int hop) throws SourceConfigException {
    ObjectNode settings = source.deepCopy();
    settings.remove("type");
    SimulatorSettings simulator = new SimulatorSourceProvider().parse(settings);
    Duration duration = simulator.duration().orElseThrow(() -> new IllegalArgumentException(
        "the source needs durationSeconds to have a known number of windows: " + source));
    List<SampleBlock> blocks = new ArrayList<>();
    new MachineSimulator(simulator, Instant.EPOCH).advanceTo(duration.plusSeconds(1), new MachineSimulator.Sink() {
      @Override
      public void accept(SampleBlock block) {
        blocks.add(block);
      }

      @Override
      public void accept(Reading reading) {
      }
    });
    int total = blocks.stream().mapToInt(SampleBlock::size).sum();
    double[] samples = new double[total];
    String[] labels = new String[total];
    int at = 0;
    for (SampleBlock block : blocks) {
      System.arraycopy(block.values(), 0, samples, at, block.size());
      Arrays.fill(labels, at, at + block.size(), block.properties().get("label"));
      at += block.size();
    }
    List<Window> windows = new ArrayList<>();
    for (int k = 0; k * hop + size <= total; k++) {
      int start = k * hop;
      float[] values = new float[size];
      for (int i = 0; i < size; i++) {
        values[i] = (float) samples[start + i];
      }
      String label = labels[start + size - 1];
      windows.add(new Window(simulator.vibrationSensor(), k, values, label, !labels[start].equals(label)));
    }
    return windows;
  }

  /** Runs a model of one float32 input on one row and returns its one float32 output. */
  static float[] run(OrtSession session, float[] input, long... shape) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    String name = session.getInputNames().iterator().next();
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
        OrtSession.Result result = session.run(Map.of(name, tensor))) {
      FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[output.remaining()];
      output.get(values);
      return values;
    }
  }

  /** A session on one thread, as the example's gateway runs its part. */
  static OrtSession session(Path model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return OrtEnvironment.getEnvironment().createSession(model.toString(), options);
    }
  }

  /** The index of the largest value. */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
