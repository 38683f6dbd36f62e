package io.edgeai4j.train.vibration;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
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
 * the confusion matrix, the latency of one window on 1 and on 2 intra-op threads (batch 1, 2,000 runs of each after
 * 200, the two sessions' runs interleaved so that both see the same load; p10, p50, p99); with
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
    }
    printLatency(dir.resolve("model.onnx"), test.get(0).values());
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

  /** Prints the batch-1 latency of {@code model} with 1 and with 2 intra-op threads, runs interleaved. */
  private static void printLatency(Path model, float[] window) throws OrtException {
    int[] threads = {1, 2};
    long[][] nanos = new long[threads.length][2000];
    List<float[]> one = List.of(window);
    try (VibrationCnnScorer single = new VibrationCnnScorer(model, threads[0]);
        VibrationCnnScorer dual = new VibrationCnnScorer(model, threads[1])) {
      List<VibrationCnnScorer> scorers = List.of(single, dual);
      for (int i = 0; i < 200; i++) {
        for (VibrationCnnScorer s : scorers) {
          s.probabilities(one);
        }
      }
      for (int i = 0; i < nanos[0].length; i++) {
        for (int k = 0; k < scorers.size(); k++) {
          long t = System.nanoTime();
          scorers.get(k).probabilities(one);
          nanos[k][i] = System.nanoTime() - t;
        }
      }
    }
    for (int k = 0; k < threads.length; k++) {
      Arrays.sort(nanos[k]);
      System.out.printf("latency, one window, %d thread%s: p10 %.3f ms, p50 %.3f ms, p99 %.3f ms%n", threads[k],
          threads[k] == 1 ? "" : "s", nanos[k][200] / 1e6, nanos[k][1000] / 1e6, nanos[k][1980] / 1e6);
    }
  }

  private static void usage() {
    System.err.println("usage: EvaluateVibrationCnn VERSION_DIR [--fault-classifier FC.onnx] [--data-out DIR]");
    System.exit(2);
  }
}
