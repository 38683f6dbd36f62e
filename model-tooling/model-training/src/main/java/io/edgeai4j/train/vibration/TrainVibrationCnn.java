package io.edgeai4j.train.vibration;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import io.edgeai4j.training.ConfusionMatrix;
import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.ScenarioPlan;
import io.edgeai4j.training.TrainingRecipe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Trains the vibration CNN of {@code model-repository/vibration-cnn} from its {@link Recipe} and writes its version
 * directory: {@code java ... TrainVibrationCnn [--epochs N] VERSION_DIR}. Windows of the training runs train (those
 * that straddle a fault's onset left out), the validation runs (all their windows, as the test keeps them) pick the
 * best epoch, and the held-out test runs (the fault classifier's, {@link TrainingRecipe#TEST}) are scored by ONNX
 * Runtime on the written {@code model.onnx}: top-1 and the confusion matrix are printed. Writes {@code model.onnx}
 * (after ONNX Runtime loads it), {@code model.json} and {@code golden.json}.
 */
public final class TrainVibrationCnn {
  /** The model's name in the model repository. */
  public static final String MODEL_NAME = "vibration-cnn";
  /** The golden check's tolerance (as the fault classifier's). */
  static final double ABSOLUTE_TOLERANCE = 1e-5;
  static final double RELATIVE_TOLERANCE = 1e-3;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Everything that decides the model's bytes.
   *
   * @param architecture The network.
   * @param graphSeed Seeds the initial weights.
   * @param train The training runs.
   * @param validation The runs that choose the best epoch.
   * @param test The held-out runs the accuracy is reported on.
   * @param hop Samples between window starts, in every set.
   * @param options Adam, batches, epochs, seed, patience.
   */
  public record Recipe(VibrationCnnGraph.Architecture architecture, long graphSeed, ScenarioPlan train,
      ScenarioPlan validation, ScenarioPlan test, int hop, TrainingOptions options) {
    /** The committed model's recipe. */
    public static final Recipe DEFAULT = new Recipe(VibrationCnnGraph.Architecture.DEFAULT, 17,
        TrainingRecipe.TRAIN, new ScenarioPlan(11, 6, Duration.ofSeconds(12)), TrainingRecipe.TEST, 2048,
        TrainingOptions.builder().epochs(5).batchSize(32).learningRate(1e-3f).seed(17).patience(2).build());

    /** Validates. */
    public Recipe {
      if (hop < 1) {
        throw new IllegalArgumentException("hop " + hop + ", expected 1 or more");
      }
    }

    /** The same recipe with {@code epochs} epochs. */
    public Recipe withEpochs(int epochs) {
      return new Recipe(architecture, graphSeed, train, validation, test, hop, TrainingOptions.builder()
          .epochs(epochs).batchSize(options.batchSize()).learningRate(options.learningRate()).seed(options.seed())
          .patience(options.patience()).build());
    }

    /** The untrained graph. */
    public OnnxMl.ModelProto initialGraph() {
      return VibrationCnnGraph.build(architecture, graphSeed);
    }

    /** The windows of {@code plan}'s runs. */
    public List<RawWindow> windows(ScenarioPlan plan) {
      return VibrationWindows.generate(plan.scenarios(), architecture.length(), hop);
    }
  }

  private TrainVibrationCnn() {}

  /**
   * Trains on the recipe's training runs (windows straddling an onset left out), choosing the epoch on all the windows
   * of its validation runs: those clear of an onset are all right from the first epoch on, so the windows that
   * straddle one (labelled with the fault while partly healthy) decide which epoch is kept.
   *
   * @throws TrainingException If the graph cannot be trained (an op without a kernel, rows it does not take).
   */
  public static TrainingResult train(Recipe recipe, PrintWriter progress) throws TrainingException {
    List<RawWindow> train = clean(recipe.windows(recipe.train()));
    List<RawWindow> validation = recipe.windows(recipe.validation());
    progress.printf("windows: train %d %s, validation %d %s%n", train.size(), VibrationWindows.countByClass(train),
        validation.size(), VibrationWindows.countByClass(validation));
    return SupervisedTrainer.train(recipe.initialGraph(), VibrationWindows.rows(train),
        VibrationWindows.rows(validation), recipe.options(), progress);
  }

  /** The windows that do not straddle a fault's onset. */
  public static List<RawWindow> clean(List<RawWindow> windows) {
    return windows.stream().filter(w -> !w.straddlesOnset()).toList();
  }

  /**
   * Writes {@code model.onnx} (checked: ONNX Runtime loads it), {@code model.json} and {@code golden.json} (the first
   * window of each class in {@code golden}, with the probabilities the written model gives, run by ONNX Runtime).
   *
   * @throws IOException If a file cannot be written or ONNX Runtime cannot run the model.
   * @throws ModelFileException If the model cannot be written or ONNX Runtime does not load it.
   */
  public static void writeVersion(OnnxMl.ModelProto model, Recipe recipe, List<RawWindow> golden, Path dir)
      throws IOException, ModelFileException {
    Files.createDirectories(dir);
    OnnxModelFile.writeChecked(model, dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("model.json"), JSON.writeValueAsString(modelJson(recipe.architecture())) + "\n");
    Files.writeString(dir.resolve("golden.json"), JSON.writeValueAsString(golden(dir.resolve("model.onnx"),
        goldenWindows(golden))) + "\n");
  }

  /** The model.json of the model: inputs, outputs, labels, {@code windowInput}, batching and warm-up. */
  static ObjectNode modelJson(VibrationCnnGraph.Architecture architecture) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", MODEL_NAME);
    root.put("description", "Fault class of one window of raw vibration (" + architecture.length()
        + " samples at 5 kHz, m/s^2): a 1-D CNN trained on simulated machines by model-tooling/model-training"
        + " (io.edgeai4j.train.vibration.TrainVibrationCnn)");
    ObjectNode input = root.putArray("inputs").addObject();
    input.put("name", VibrationCnnGraph.INPUT);
    input.put("type", "float32");
    input.putArray("shape").add(-1).add(1).add(architecture.length());
    ObjectNode output = root.putArray("outputs").addObject();
    output.put("name", VibrationCnnGraph.OUTPUT);
    output.put("type", "float32");
    output.putArray("shape").add(-1).add(architecture.classes());
    ObjectNode labels = root.putObject("labels");
    labels.put("output", VibrationCnnGraph.OUTPUT);
    ArrayNode classes = labels.putArray("classes");
    FaultClass.labels().forEach(classes::add);
    ObjectNode window = root.putObject("windowInput");
    window.put("input", VibrationCnnGraph.INPUT);
    window.put("length", architecture.length());
    ObjectNode batching = root.putObject("batching");
    batching.put("maxBatchSize", 16);
    batching.put("maxQueueDelayMicros", 500);
    batching.put("maxQueueSize", 256);
    batching.put("requestTimeoutMillis", 2000);
    batching.put("instances", 1);
    root.putObject("warmup").put("runs", 3);
    return root;
  }

  /** The first window of each class (not straddling an onset), in {@link FaultClass} order. */
  static List<float[]> goldenWindows(List<RawWindow> windows) {
    List<float[]> rows = new java.util.ArrayList<>();
    for (FaultClass c : FaultClass.values()) {
      clean(windows).stream().filter(w -> w.label() == c).findFirst().ifPresent(w -> rows.add(w.values()));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no windows to write golden samples from");
    }
    return rows;
  }

  /** golden.json's document for {@code rows} run through {@code modelOnnx}. */
  static ObjectNode golden(Path modelOnnx, List<float[]> rows) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode tolerance = root.putObject("tolerance");
    tolerance.put("absolute", ABSOLUTE_TOLERANCE);
    tolerance.put("relative", RELATIVE_TOLERANCE);
    ArrayNode samples = root.putArray("samples");
    try (VibrationCnnScorer scorer = new VibrationCnnScorer(modelOnnx, 1)) {
      for (float[] row : rows) {
        float[] p = scorer.probabilities(List.of(row))[0];
        ObjectNode sample = samples.addObject();
        ObjectNode in = sample.putObject("inputs").putObject(VibrationCnnGraph.INPUT);
        in.put("type", "float32");
        in.putArray("shape").add(1).add(1).add(row.length);
        ArrayNode data = in.putArray("data");
        for (float v : row) {
          data.add(v);
        }
        ObjectNode out = sample.putObject("outputs").putObject(VibrationCnnGraph.OUTPUT);
        out.put("type", "float32");
        out.putArray("shape").add(1).add(p.length);
        ArrayNode probabilities = out.putArray("data");
        for (float v : p) {
          probabilities.add(v);
        }
      }
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime cannot run " + modelOnnx + " for its golden samples: " + e.getMessage(), e);
    }
    return root;
  }

  public static void main(String[] args) throws Exception {
    Recipe recipe = Recipe.DEFAULT;
    int i = 0;
    if (args.length == 3 && args[0].equals("--epochs")) {
      recipe = recipe.withEpochs(Integer.parseInt(args[1]));
      i = 2;
    }
    if (args.length != i + 1) {
      System.err.println("usage: TrainVibrationCnn [--epochs N] VERSION_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[i]);
    PrintWriter progress = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    long started = System.nanoTime();
    TrainingResult result = train(recipe, progress);
    List<RawWindow> test = recipe.windows(recipe.test());
    writeVersion(result.model(), recipe, test, dir);
    System.out.printf("trained in %.1f s: best epoch %d, validation top-1 %.2f %%%n",
        (System.nanoTime() - started) / 1e9, result.bestEpoch(), 100 * result.bestValidationAccuracy());
    try (VibrationCnnScorer scorer = new VibrationCnnScorer(dir.resolve("model.onnx"), 0)) {
      ConfusionMatrix all = scorer.evaluate(test);
      ConfusionMatrix clean = scorer.evaluate(clean(test));
      System.out.printf("test (%d windows of %d held-out runs, ONNX Runtime): top-1 %.4f; without the %d windows"
          + " straddling an onset: %.4f%n%s%n", all.total(), recipe.test().runsPerClass() * FaultClass.values().length,
          all.accuracy(), all.total() - clean.total(), clean.accuracy(), all.report());
    }
    System.out.printf("wrote %s (model.onnx, model.json, golden.json)%n", dir);
  }
}
