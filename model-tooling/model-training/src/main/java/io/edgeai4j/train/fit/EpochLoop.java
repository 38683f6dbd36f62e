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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop every trainer of this library shares: the graph compiled as a {@link GraphProgram}, shuffled
 * mini-batches, a loss given by the caller, Adam at a fixed learning rate, validation top-1 after each epoch, the best
 * epoch's parameters kept and a stop after {@code patience} epochs without a better one, a progress line per 20 batches
 * and per epoch. Seeded: the same options, rows and model give the same shuffles and dropout. Stateless; each call owns
 * the native memory it makes and frees it before returning.
 */
public final class EpochLoop {
  private static final int EVAL_BATCH = 256;

  /** The loss of one mini-batch, computed by DJL operations so that autograd reaches the parameters. */
  @FunctionalInterface
  public interface BatchLoss {
    /**
     * @param logits The model's class scores for the batch, {@code [rows.length, classes]}.
     * @param rows The batch's row indices into the training rows, in the order of {@code logits}.
     * @param step The batch's manager: arrays made here are freed after the step.
     * @return A scalar: the mean loss per row.
     */
    NDArray loss(NDArray logits, int[] rows, NDManager step);
  }

  /** Checks made once the graph is compiled, before the first epoch (e.g. labels against the model's classes). */
  @FunctionalInterface
  public interface Check {
    void check(int classes) throws TrainingException;
  }

  private EpochLoop() {}

  /**
   * Trains {@code model} on {@code train} (labels, if any, are the loss's business) and keeps the epoch with the best
   * top-1 on {@code validation}.
   *
   * @param check Run with the model's class count before any training; throws to refuse the data.
   * @throws TrainingException An op without a training kernel (before anything runs), rows whose shape the model does
   *     not take, a validation label outside the model's classes, or no PyTorch engine.
   */
  public static TrainingResult train(OnnxMl.ModelProto model, DataRows train, LabelledRows validation,
      TrainingOptions options, PrintWriter progress, Check check, BatchLoss loss) throws TrainingException {
    Engine engine = pytorch();
    engine.setRandomSeed((int) options.seed());
    try (NDManager base = engine.newBaseManager(Device.cpu());
        GraphProgram program = GraphProgram.compile(model, base)) {
      int classes = classes(program, train.rowShape());
      if (!Arrays.equals(train.rowShape(), validation.rowShape()) && validation.rows() > 0) {
        throw new TrainingException("validation rows have shape " + Arrays.toString(validation.rowShape())
            + ", training rows " + Arrays.toString(train.rowShape()) + "; expected the same");
      }
      check.check(classes);
      checkLabels(validation, classes, "validation");
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate())).build();
      double initial = accuracy(program, validation);
      OnnxMl.ModelProto best = model;
      double bestAccuracy = initial;
      int bestEpoch = 0;
      List<EpochResult> epochs = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(options.seed());
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        long start = System.nanoTime();
        double meanLoss = epoch(program, train, options.batchSize(), loss, adam, random, base, progress, epoch,
            options.epochs());
        double accuracy = accuracy(program, validation);
        EpochResult result = new EpochResult(epoch, meanLoss, accuracy, (System.nanoTime() - start) / 1e9);
        epochs.add(result);
        if (progress != null) {
          progress.printf("\repoch %d/%d  loss %.4f  validation top-1 %.2f %%  (%.1f s)%s%n", epoch, options.epochs(),
              meanLoss, 100 * accuracy, result.seconds(), accuracy > bestAccuracy ? "  best" : "");
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

  /** DJL's PyTorch engine, or an error saying which artifacts training needs. */
  public static Engine pytorch() throws TrainingException {
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      throw new TrainingException("DJL's PyTorch engine is not available (" + e.getMessage() + "); training needs"
          + " ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu for this platform on the class path",
          e);
    }
  }

  private static double epoch(GraphProgram program, DataRows rows, int batchSize, BatchLoss batchLoss, Optimizer adam,
      SplittableRandom random, NDManager base, PrintWriter progress, int epoch, int epochs) throws TrainingException {
    int[] order = shuffled(rows.rows(), random);
    int size = rows.rowSize();
    float[] values = rows.values();
    double lossSum = 0;
    int batches = (rows.rows() + batchSize - 1) / batchSize;
    program.requireGradients(true);
    try {
      for (int b = 0; b < batches; b++) {
        int from = b * batchSize;
        int n = Math.min(batchSize, rows.rows() - from);
        float[] x = new float[n * size];
        int[] batch = Arrays.copyOfRange(order, from, from + n);
        for (int i = 0; i < n; i++) {
          System.arraycopy(values, batch[i] * size, x, i * size, size);
        }
        try (NDManager step = base.newSubManager()) {
          NDArray input = step.create(x, batchShape(n, rows.rowShape()));
          try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray logits = program.logits(new NDList(input), true);
            NDArray loss = batchLoss.loss(logits, batch, step);
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

  /** Top-1 accuracy of the program on {@code rows}, in evaluation mode (no dropout, no gradients); 0 for no rows. */
  public static double accuracy(GraphProgram program, LabelledRows rows) throws TrainingException {
    if (rows.rows() == 0) {
      return 0;
    }
    NDManager base = program.parameters().values().iterator().next().getManager();
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

  private static int classes(GraphProgram program, long[] rowShape) throws TrainingException {
    try (NDManager probe = program.parameters().values().iterator().next().getManager().newSubManager()) {
      float[] one = new float[(int) DataRows.size(rowShape)];
      NDArray scores = program.logits(new NDList(probe.create(one, batchShape(1, rowShape))), false);
      if (scores.getShape().dimension() != 2) {
        throw new TrainingException("the model's class scores have shape " + scores.getShape()
            + ", expected [rows, classes]");
      }
      return (int) scores.getShape().get(1);
    } catch (RuntimeException e) {
      throw new TrainingException("the model does not run on rows of shape " + Arrays.toString(rowShape) + ": "
          + e.getMessage(), e);
    }
  }

  /** Refuses a label at or beyond {@code classes}, naming the row. */
  public static void checkLabels(LabelledRows rows, int classes, String what) throws TrainingException {
    for (int i = 0; i < rows.rows(); i++) {
      if (rows.labels()[i] >= classes) {
        throw new TrainingException(what + " row " + i + " has label " + rows.labels()[i] + "; the model scores "
            + classes + " classes (0 to " + (classes - 1) + ")");
      }
    }
  }

  /** {@code [n, rowShape...]}. */
  public static Shape batchShape(int n, long[] rowShape) {
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
