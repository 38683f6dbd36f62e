package io.edgeai4j.train.vibration;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.FrequencyBand;
import io.edgeai4j.training.ConfusionMatrix;
import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.FeatureDataset;
import io.edgeai4j.training.FeatureVector;
import io.edgeai4j.training.LabelledWindow;
import io.edgeai4j.training.MachineScenario;
import io.edgeai4j.training.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Scores a vibration CNN version directory on the recipe's held-out test runs, run by ONNX Runtime on one thread:
 * {@code java ... EvaluateVibrationCnn VERSION_DIR [--fault-classifier FC.onnx] [--data-out DIR]}. Prints top-1 and
 * the confusion matrix, the latency of one window (batch 1, p50 and p99 of 2,000 runs after 200); with
 * {@code --fault-classifier}, the feature-based fault classifier's on the same windows (features of each window's
 * newest 2,048 samples, its own window size, as the sensor-ingestion module computes them); with
 * {@code --data-out}, writes the windows and labels in ONNX's test-data layout for {@code edge model evaluate}.
 */
public final class EvaluateVibrationCnn {
  private EvaluateVibrationCnn() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length % 2 != 1) {
      usage();
    }
    Path dir = Path.of(args[0]);
    Optional<Path> faultClassifier = Optional.empty();
    Optional<Path> dataOut = Optional.empty();
    for (int i = 1; i < args.length; i += 2) {
      switch (args[i]) {
        case "--fault-classifier" -> faultClassifier = Optional.of(Path.of(args[i + 1]));
        case "--data-out" -> dataOut = Optional.of(Path.of(args[i + 1]));
        default -> usage();
      }
    }
    TrainVibrationCnn.Recipe recipe = TrainVibrationCnn.Recipe.DEFAULT;
    List<RawWindow> test = recipe.windows(recipe.test());
    try (VibrationCnnScorer scorer = new VibrationCnnScorer(dir.resolve("model.onnx"), 1)) {
      ConfusionMatrix all = scorer.evaluate(test);
      ConfusionMatrix clean = scorer.evaluate(TrainVibrationCnn.clean(test));
      System.out.printf("vibration-cnn on %d test windows: top-1 %.4f; %d clear of an onset: %.4f%n%s%n",
          all.total(), all.accuracy(), clean.total(), clean.accuracy(), all.report());
      long[] nanos = new long[2000];
      List<float[]> one = List.of(test.get(0).values());
      for (int i = 0; i < 200; i++) {
        scorer.probabilities(one);
      }
      for (int i = 0; i < nanos.length; i++) {
        long t = System.nanoTime();
        scorer.probabilities(one);
        nanos[i] = System.nanoTime() - t;
      }
      Arrays.sort(nanos);
      System.out.printf("latency, one window, 1 thread: p50 %.3f ms, p99 %.3f ms%n", nanos[1000] / 1e6,
          nanos[1980] / 1e6);
    }
    if (faultClassifier.isPresent()) {
      FeatureExtractor extractor = new FeatureExtractor(FeatureDataset.WINDOW_SIZE, MachineScenario.SAMPLE_RATE_HZ,
          FrequencyBand.equalWidth(FeatureVector.BAND_COUNT, MachineScenario.SAMPLE_RATE_HZ));
      List<LabelledWindow> rows = new ArrayList<>();
      for (RawWindow w : test) {
        double[] newest = new double[FeatureDataset.WINDOW_SIZE];
        int from = w.values().length - newest.length;
        for (int i = 0; i < newest.length; i++) {
          newest[i] = w.values()[from + i];
        }
        rows.add(new LabelledWindow(w.run(), w.label(), FeatureVector.of(extractor.extract(newest))));
      }
      try (OnnxClassifier classifier = new OnnxClassifier(faultClassifier.get())) {
        ConfusionMatrix m = classifier.evaluate(rows);
        System.out.printf("fault-classifier on the same windows (features of the newest %d samples): top-1 %.4f%n%s%n",
            FeatureDataset.WINDOW_SIZE, m.accuracy(), m.report());
      }
    }
    if (dataOut.isPresent()) {
      int length = recipe.architecture().length();
      double[] values = new double[test.size() * length];
      double[] labels = new double[test.size()];
      for (int i = 0; i < test.size(); i++) {
        float[] w = test.get(i).values();
        for (int j = 0; j < length; j++) {
          values[i * length + j] = w[j];
        }
        labels[i] = test.get(i).label().ordinal();
      }
      TestDataSetWriter.Written written = TestDataSetWriter.write(dataOut.get(),
          List.of(new DataTensor(VibrationCnnGraph.INPUT, OnnxMl.TensorProto.DataType.FLOAT.getNumber(),
              new long[] {test.size(), 1, length}, values)),
          Optional.of(new DataTensor("labels", OnnxMl.TensorProto.DataType.INT64.getNumber(),
              new long[] {test.size()}, labels)), 200);
      System.out.printf("wrote %d windows in %d sets to %s%n", written.rows(), written.sets(), dataOut.get());
    }
    System.out.println("classes: " + FaultClass.labels());
  }

  private static void usage() {
    System.err.println("usage: EvaluateVibrationCnn VERSION_DIR [--fault-classifier FC.onnx] [--data-out DIR]");
    System.exit(2);
  }
}
