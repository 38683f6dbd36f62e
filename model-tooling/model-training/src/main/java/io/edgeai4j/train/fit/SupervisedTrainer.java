package io.edgeai4j.train.fit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.onnx.proto.OnnxMl;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.graph.GraphProgram;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Supervised training of an ONNX classifier on labelled rows: the graph runs as a {@link GraphProgram}, the loss is the
 * mean cross-entropy of its class scores against the labels, PyTorch's autograd (DJL's PyTorch engine) gives the
 * gradients and Adam updates the parameters. After each epoch the validation rows are scored; the epoch with the best
 * top-1 accuracy is the one written back. Seeded: the same options, data and model give the same shuffles and dropout.
 * Stateless; each call owns the native memory it makes and frees it before returning.
 */
public final class SupervisedTrainer {
  private static final int EVAL_BATCH = 256;

  private SupervisedTrainer() {}

  /**
   * Trains {@code model}.
   *
   * @param progress Where a progress line per epoch goes (the CLI passes stderr); null for none.
   * @throws TrainingException An op without a training kernel (before anything runs), a label outside the model's
   *     classes, rows whose shape the model does not take, or no PyTorch engine.
   */
  public static TrainingResult train(OnnxMl.ModelProto model, LabelledRows train, LabelledRows validation,
      TrainingOptions options, PrintWriter progress) throws TrainingException {
    Engine engine = pytorch();
    engine.setRandomSeed((int) options.seed());
    try (NDManager base = engine.newBaseManager(Device.cpu());
        GraphProgram program = GraphProgram.compile(model, base)) {
      int classes = classes(program, train);
      checkLabels(train, classes, "training");
      checkLabels(validation, classes, "validation");
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate())).build();
      double initial = accuracy(program, validation, base);
      OnnxMl.ModelProto best = model;
      double bestAccuracy = initial;
      int bestEpoch = 0;
      List<EpochResult> epochs = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(options.seed());
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        long start = System.nanoTime();
        double loss = epoch(program, train, options.batchSize(), classes, adam, random, base, progress, epoch,
            options.epochs());
        double accuracy = accuracy(program, validation, base);
        EpochResult result = new EpochResult(epoch, loss, accuracy, (System.nanoTime() - start) / 1e9);
        epochs.add(result);
        if (progress != null) {
          progress.printf("\repoch %d/%d  loss %.4f  validation top-1 %.2f %%  (%.1f s)%s%n", epoch, options.epochs(),
              loss, 100 * accuracy, result.seconds(), accuracy > bestAccuracy ? "  best" : "");
          progress.flush();
        }
        if (accuracy > bestAccuracy) {
          bestAccuracy = accuracy;
          bestEpoch = epoch;
          best = program.writeBack();
        } else if (epoch - bestEpoch >= options.patience()) {
          break;
        }
      }
      return new TrainingResult(best, epochs, bestEpoch, initial);
    }
  }

  private static Engine pytorch() throws TrainingException {
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      throw new TrainingException("DJL's PyTorch engine is not available (" + e.getMessage() + "); training needs"
          + " ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu for this platform on the class path",
          e);
    }
  }

  private static double epoch(GraphProgram program, LabelledRows rows, int batchSize, int classes, Optimizer adam,
      SplittableRandom random, NDManager base, PrintWriter progress, int epoch, int epochs) throws TrainingException {
    int[] order = shuffled(rows.rows(), random);
    int size = rows.rowSize();
    float[] values = rows.values();
    int[] labels = rows.labels();
    double lossSum = 0;
    int batches = (rows.rows() + batchSize - 1) / batchSize;
    program.requireGradients(true);
    try {
      for (int b = 0; b < batches; b++) {
        int from = b * batchSize;
        int n = Math.min(batchSize, rows.rows() - from);
        float[] x = new float[n * size];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
          int row = order[from + i];
          System.arraycopy(values, row * size, x, i * size, size);
          y[i] = labels[row];
        }
        try (NDManager step = base.newSubManager()) {
          NDArray input = step.create(x, batchShape(n, rows.rowShape()));
          NDArray target = step.create(y).oneHot(classes);
          try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray logits = program.logits(new NDList(input), true);
            NDArray loss = logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
            collector.backward(loss);
            lossSum += loss.getFloat() * n;
          }
          for (Map.Entry<String, NDArray> p : program.parameters().entrySet()) {
            NDArray gradient = p.getValue().getGradient();
            gradient.attach(step);
            adam.update(p.getKey(), p.getValue(), gradient);
            gradient.subi(gradient);
          }
        }
        if (progress != null && (b % 20 == 0 || b == batches - 1)) {
          int filled = (b + 1) * 30 / batches;
          progress.printf("\repoch %d/%d [%s%s] %d/%d batches  loss %.4f", epoch, epochs, "#".repeat(filled),
              ".".repeat(30 - filled), b + 1, batches, lossSum / Math.min(rows.rows(), from + n));
          progress.flush();
        }
      }
    } finally {
      program.requireGradients(false);
    }
    return lossSum / rows.rows();
  }

  /** Top-1 accuracy of the program on {@code rows}, in evaluation mode (no dropout, no gradients). */
  public static double accuracy(GraphProgram program, LabelledRows rows, NDManager base) throws TrainingException {
    if (rows.rows() == 0) {
      return 0;
    }
    int size = rows.rowSize();
    int correct = 0;
    for (int from = 0; from < rows.rows(); from += EVAL_BATCH) {
      int n = Math.min(EVAL_BATCH, rows.rows() - from);
      float[] x = new float[n * size];
      System.arraycopy(rows.values(), from * size, x, 0, n * size);
      try (NDManager step = base.newSubManager()) {
        NDArray scores = program.logits(new NDList(step.create(x, batchShape(n, rows.rowShape()))), false);
        long[] predicted = scores.argMax(1).toLongArray();
        for (int i = 0; i < n; i++) {
          if (predicted[i] == rows.labels()[from + i]) {
            correct++;
          }
        }
      }
    }
    return (double) correct / rows.rows();
  }

  private static int classes(GraphProgram program, LabelledRows rows) throws TrainingException {
    try (NDManager probe = program.parameters().values().iterator().next().getManager().newSubManager()) {
      float[] one = new float[rows.rowSize()];
      NDArray scores = program.logits(new NDList(probe.create(one, batchShape(1, rows.rowShape()))), false);
      if (scores.getShape().dimension() != 2) {
        throw new TrainingException("the model's class scores have shape " + scores.getShape()
            + ", expected [rows, classes]");
      }
      return (int) scores.getShape().get(1);
    } catch (RuntimeException e) {
      throw new TrainingException("the model does not run on rows of shape "
          + java.util.Arrays.toString(rows.rowShape()) + ": " + e.getMessage(), e);
    }
  }

  private static void checkLabels(LabelledRows rows, int classes, String what) throws TrainingException {
    for (int i = 0; i < rows.rows(); i++) {
      if (rows.labels()[i] >= classes) {
        throw new TrainingException(what + " row " + i + " has label " + rows.labels()[i] + "; the model scores "
            + classes + " classes (0 to " + (classes - 1) + ")");
      }
    }
  }

  private static Shape batchShape(int n, long[] rowShape) {
    long[] s = new long[rowShape.length + 1];
    s[0] = n;
    System.arraycopy(rowShape, 0, s, 1, rowShape.length);
    return new Shape(s);
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
