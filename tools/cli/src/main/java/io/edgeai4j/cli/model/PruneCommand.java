package io.edgeai4j.cli.model;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.inspect.ModelInspector;
import io.edgeai4j.optimize.inspect.ModelReport;
import io.edgeai4j.optimize.onnx.ModelFileException;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.onnx.OnnxProtos;
import io.edgeai4j.train.TrainingException;
import io.edgeai4j.train.distill.DistillationOptions;
import io.edgeai4j.train.distill.Distiller;
import io.edgeai4j.train.fit.DataDirectoryRows;
import io.edgeai4j.train.fit.DataRows;
import io.edgeai4j.train.fit.EpochResult;
import io.edgeai4j.train.fit.SupervisedTrainer;
import io.edgeai4j.train.fit.TrainingOptions;
import io.edgeai4j.train.fit.TrainingResult;
import io.edgeai4j.train.prune.ActivationRanking;
import io.edgeai4j.train.prune.BatchNormFolding;
import io.edgeai4j.train.prune.MagnitudePruning;
import io.edgeai4j.train.prune.PackageSize;
import io.edgeai4j.train.prune.PruningException;
import io.edgeai4j.train.prune.StructuredPruning;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model prune}: magnitude pruning (unstructured, or whole filters with {@code --structured}) of an ONNX
 * model, optionally trained back ({@code --recover}: fine-tuning on labelled data, distillation from the unpruned
 * model on unlabelled data); the model written is loaded by ONNX
 * Runtime before the command reports success.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Prunes INPUT.onnx and writes OUTPUT.onnx. Unstructured (default): the smallest-magnitude Conv,"
        + " Gemm and MatMul weights are set to zero (the file keeps its size; its zip, the model package, shrinks)."
        + " --structured: whole Conv filters and Gemm output units are removed and the layers that read them cut to"
        + " match, so the model has fewer parameters and MACs. --recover fine-tunes the pruned model on --data."})
public final class PruneCommand implements Callable<Integer> {
  /** How structured pruning ranks filters. */
  enum By { MAGNITUDE, ACTIVATION }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT.onnx", description = "The float model.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT.onnx", description = "Where to write the pruned model.")
  Path output;

  @Option(names = "--sparsity", paramLabel = "S", required = true,
      description = "The fraction to remove, in [0, 1): of the weights (unstructured), or of each layer's filters"
          + " (--structured).")
  double sparsity;

  @Option(names = "--structured", description = "Remove whole Conv filters and Gemm output units.")
  boolean structured;

  @Option(names = "--global", description = "Unstructured only: one magnitude threshold across all layers, instead"
      + " of the same sparsity in each.")
  boolean global;

  @Option(names = "--by", paramLabel = "magnitude|activation",
      description = "Structured ranking: the L1 norm of each filter (magnitude, the default) or its mean |activation|"
          + " on --calibration data (activation).")
  By by;

  @Option(names = "--activation-statistic", paramLabel = "mean|nonzero",
      description = "With --by activation: rank each filter by its mean |activation| (mean, the default) or by the"
          + " share of positions a following ReLU leaves non-zero (nonzero: filters a ReLU mostly zeroes go first).")
  String activationStatistic;

  @Option(names = "--calibration", paramLabel = "DIR",
      description = "Data for --by activation: DIR/test_data_set_<n>/input_0.pb.")
  Path calibration;

  @Option(names = "--fold-batchnorm", description = "Fold each BatchNormalization that follows a Conv into the Conv's"
      + " weights and bias in the model written (after pruning and recovery; for deployment).")
  boolean foldBatchNorm;

  @Option(names = "--recover", description = "Train the pruned model back on --data: fine-tuning on labelled data"
      + " (Adam, cross-entropy), or, on unlabelled data, distillation from the unpruned model (T 4); the best"
      + " validation epoch is kept.")
  boolean recover;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Training data for --recover (edge model dataset's layout; with labels.pb in every set to"
          + " fine-tune, without to distil from the unpruned model).")
  Path data;

  @Option(names = "--validation", paramLabel = "DIR",
      description = "Validation data for --recover (unlabelled: scored as agreement with the unpruned model);"
          + " default: the last 1/12 of --data's rows.")
  Path validation;

  @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs for --recover. Default: 2.")
  Integer epochs;

  @Option(names = {"--lr", "--learning-rate"}, paramLabel = "LR", description = "Adam's learning rate for --recover."
      + " Default: 0.0005.")
  Float learningRate;

  @Option(names = "--force", description = "Overwrite OUTPUT.onnx when it exists.")
  boolean force;

  @Override
  public Integer call() {
    // Nothing is downloaded: libtorch comes from the pytorch-native-cpu jar (set before DJL's Engine loads).
    System.setProperty("ai.djl.offline", "true");
    PrintWriter err = spec.commandLine().getErr();
    String usage = usage();
    if (usage != null) {
      err.println("edge model prune: " + usage);
      return ExitCodes.USAGE;
    }
    if (!Files.isRegularFile(input)) {
      err.println("edge model prune: INPUT.onnx: '" + input + "' is not a file");
      return ExitCodes.NO_INPUT;
    }
    try {
      if (Files.exists(output) && Files.isSameFile(input, output)) {
        err.println("edge model prune: OUTPUT.onnx: '" + output + "' is INPUT.onnx; write the pruned model to"
            + " another file");
        return ExitCodes.CANT_CREATE;
      }
    } catch (IOException e) {
      err.println("edge model prune: OUTPUT.onnx: '" + output + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
    if (Files.exists(output) && !force) {
      err.println("edge model prune: OUTPUT.onnx: '" + output + "' exists; refusing to overwrite it (--force)");
      return ExitCodes.CANT_CREATE;
    }
    for (Path dir : new Path[] {calibration, data, validation}) {
      if (dir != null && !Files.isDirectory(dir)) {
        err.println("edge model prune: '" + dir + "' is not a directory");
        return ExitCodes.NO_INPUT;
      }
    }
    OnnxMl.ModelProto model;
    try {
      model = OnnxModelFile.read(input);
    } catch (ModelFileException e) {
      err.println("edge model prune: INPUT.onnx: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    OnnxMl.ModelProto pruned;
    try {
      pruned = structured ? structured(model, out, err) : unstructured(model, out);
    } catch (PruningException | IllegalArgumentException e) {
      err.println("edge model prune: " + input + ": " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    }
    if (recover) {
      try {
        pruned = recover(model, pruned, out, err);
      } catch (PruningException | TrainingException e) {
        err.println("edge model prune: --recover: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
    }
    try {
      OnnxModelFile.writeChecked(foldBatchNorm ? BatchNormFolding.fold(pruned) : pruned, output);
    } catch (ModelFileException e) {
      err.println("edge model prune: OUTPUT.onnx: " + e.getMessage());
      return ExitCodes.SOFTWARE;
    }
    ModelReport before = ModelInspector.inspect(model, input.toString(), model.getSerializedSize());
    ModelReport after = ModelInspector.inspect(pruned, output.toString(), pruned.getSerializedSize());
    out.printf(Locale.ROOT, "parameters: %,d -> %,d (%.3fx)%n", before.parameters(), after.parameters(),
        ratio(after.parameters(), before.parameters()));
    out.printf(Locale.ROOT, "MACs per row: %,d -> %,d (%.3fx)%n", before.totalMacs(), after.totalMacs(),
        ratio(after.totalMacs(), before.totalMacs()));
    long zipBefore = PackageSize.zipped(model);
    long zipAfter = PackageSize.zipped(pruned);
    out.printf(Locale.ROOT, "size: %,d -> %,d bytes (%.3fx); zipped (model package): %,d -> %,d bytes (%.3fx)%n",
        model.getSerializedSize(), pruned.getSerializedSize(),
        ratio(pruned.getSerializedSize(), model.getSerializedSize()), zipBefore, zipAfter, ratio(zipAfter, zipBefore));
    out.println("wrote " + output + "; checked: ONNX Runtime loads it");
    return ExitCodes.OK;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  private OnnxMl.ModelProto unstructured(OnnxMl.ModelProto model, PrintWriter out) {
    MagnitudePruning.Result r = MagnitudePruning.prune(model, sparsity,
        global ? MagnitudePruning.Scope.GLOBAL : MagnitudePruning.Scope.PER_LAYER);
    out.printf(Locale.ROOT, "%-32s %-7s %10s %10s %9s%n", "layer", "op", "weights", "zeros", "sparsity");
    for (MagnitudePruning.Layer l : r.layers()) {
      out.printf(Locale.ROOT, "%-32s %-7s %,10d %,10d %8.2f%%%n", l.node(), l.op(), l.elements(), l.zeros(),
          100 * l.sparsity());
    }
    out.printf(Locale.ROOT, "%-32s %-7s %,10d %,10d %8.2f%%%n", "total", "", r.elements(), r.zeros(),
        100.0 * r.zeros() / r.elements());
    return r.model();
  }

  private OnnxMl.ModelProto structured(OnnxMl.ModelProto model, PrintWriter out, PrintWriter err)
      throws PruningException {
    Map<String, OnnxMl.NodeProto> candidates = StructuredPruning.candidates(model);
    Map<String, double[]> scores = new HashMap<>();
    if (by == By.ACTIVATION) {
      TestDataSets sets;
      try {
        sets = TestDataSets.open(calibration);
      } catch (DataSetException e) {
        throw new PruningException("--calibration: " + e.getMessage(), e);
      }
      ActivationRanking.Statistic statistic = "nonzero".equals(activationStatistic)
          ? ActivationRanking.Statistic.NONZERO_AFTER_RELU : ActivationRanking.Statistic.MEAN_ABSOLUTE;
      scores.putAll(ActivationRanking.rank(model, new HashSet<>(candidates.keySet()), sets, statistic, err));
    } else {
      candidates.forEach((name, node) -> scores.put(name, StructuredPruning.l1Norms(model, node)));
    }
    StructuredPruning.Result r = StructuredPruning.prune(model, sparsity, scores);
    out.printf(Locale.ROOT, "%-32s %-5s %9s  %s%n", "layer", "op", "channels", "");
    int pruned = 0;
    for (StructuredPruning.Layer l : r.layers()) {
      boolean cut = l.skipped().isEmpty();
      pruned += cut ? 1 : 0;
      out.printf(Locale.ROOT, "%-32s %-5s %4d -> %-4d %s%n", l.node(), l.op(), l.channels(), l.kept(),
          cut ? "" : "kept whole: " + l.skipped());
    }
    if (pruned == 0) {
      throw new PruningException("no layer could be pruned at sparsity " + sparsity + " (the table above says why)");
    }
    return r.model();
  }

  private OnnxMl.ModelProto recover(OnnxMl.ModelProto original, OnnxMl.ModelProto pruned, PrintWriter out,
      PrintWriter err) throws PruningException, TrainingException {
    DataRows rows = rows(data);
    DataRows train = rows;
    DataRows valid;
    if (validation != null) {
      valid = rows(validation);
    } else {
      int split = rows.rows() - Math.max(1, rows.rows() / 12);
      if (split < 1) {
        throw new PruningException(data + " holds " + rows.rows() + " row(s); give --validation or more rows");
      }
      train = rows.slice(0, split);
      valid = rows.slice(split, rows.rows());
    }
    TrainingOptions options;
    try {
      options = TrainingOptions.builder().epochs(epochs == null ? 2 : epochs)
          .learningRate(learningRate == null ? 0.0005f : learningRate).patience(epochs == null ? 2 : epochs)
          .build();
    } catch (IllegalArgumentException e) {
      throw new PruningException(e.getMessage(), e);
    }
    TrainingResult r;
    if (train.labelled().isPresent() && valid.labelled().isPresent()) {
      out.printf(Locale.ROOT, "recovering: fine-tuning on %,d rows, validating on %,d%n", train.rows(), valid.rows());
      out.flush();
      r = SupervisedTrainer.train(pruned, train.labelled().get(), valid.labelled().get(), options, err);
    } else {
      // Unlabelled data (what an edge node collects): distil the unpruned model into the pruned one; validation
      // accuracy is then agreement with the unpruned model's top-1.
      out.printf(Locale.ROOT, "recovering: distilling from the unpruned model on %,d unlabelled rows (T %.1f),"
          + " validating on %,d%n", train.rows(), DistillationOptions.DEFAULT_TEMPERATURE, valid.rows());
      out.flush();
      r = Distiller.distill(original, pruned, train, valid, new DistillationOptions(
          DistillationOptions.DEFAULT_TEMPERATURE, DistillationOptions.DEFAULT_ALPHA, options), err);
    }
    out.printf(Locale.ROOT, "recovery: validation top-1 %.2f %% after pruning", 100 * r.initialValidationAccuracy());
    for (EpochResult e : r.epochs()) {
      out.printf(Locale.ROOT, ", epoch %d %.2f %%", e.epoch(), 100 * e.validationAccuracy());
    }
    out.printf(Locale.ROOT, "; kept epoch %d (%.2f %%)%n", r.bestEpoch(), 100 * r.bestValidationAccuracy());
    OnnxMl.ModelProto recovered = r.model();
    if (!structured) {
      recovered = rezero(pruned, recovered);
    }
    return recovered;
  }

  private static DataRows rows(Path dir) throws PruningException {
    try {
      return DataDirectoryRows.read(dir);
    } catch (DataSetException e) {
      throw new PruningException(e.getMessage(), e);
    }
  }

  /** Unstructured pruning's zeros, which fine-tuning moved, set to zero again (the trainer keeps no mask). */
  private static OnnxMl.ModelProto rezero(OnnxMl.ModelProto pruned, OnnxMl.ModelProto trained) {
    Map<String, OnnxMl.TensorProto> before = new HashMap<>();
    pruned.getGraph().getInitializerList().forEach(t -> before.put(t.getName(), t));
    OnnxMl.GraphProto.Builder g = trained.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      OnnxMl.TensorProto p = before.get(t.getName());
      if (p == null || t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
        continue;
      }
      float[] was = OnnxProtos.floatValues(p);
      float[] now = OnnxProtos.floatValues(t);
      boolean any = false;
      for (int k = 0; k < was.length; k++) {
        if (was[k] == 0 && now[k] != 0) {
          now[k] = 0;
          any = true;
        }
      }
      if (any) {
        g.setInitializer(i, OnnxProtos.floatTensor(t.getName(), OnnxProtos.dims(t), now));
      }
    }
    return trained.toBuilder().setGraph(g).build();
  }

  /** The options that contradict each other, or null. */
  private String usage() {
    if (!(sparsity >= 0 && sparsity < 1)) {
      return "--sparsity " + sparsity + " is outside [0, 1)";
    }
    if (!structured && (by != null || calibration != null)) {
      return "--by and --calibration rank filters for --structured pruning; unstructured pruning ranks weights by"
          + " magnitude";
    }
    if (structured && global) {
      return "--global is for unstructured pruning; --structured prunes the same share of each layer";
    }
    if (by == By.ACTIVATION && calibration == null) {
      return "--by activation needs --calibration DIR (the data whose activations rank the filters)";
    }
    if (by != By.ACTIVATION && calibration != null) {
      return "--calibration is read only by --by activation";
    }
    if (activationStatistic != null && !activationStatistic.equals("mean") && !activationStatistic.equals("nonzero")) {
      return "--activation-statistic '" + activationStatistic + "': expected mean or nonzero";
    }
    if (activationStatistic != null && by != By.ACTIVATION) {
      return "--activation-statistic is read only by --by activation";
    }
    if (!recover && (data != null || validation != null || epochs != null || learningRate != null)) {
      return "--data, --validation, --epochs and --learning-rate are for --recover";
    }
    if (recover && data == null) {
      return "--recover needs --data DIR (edge model dataset's layout: labelled rows to fine-tune, unlabelled ones to"
          + " distil from the unpruned model)";
    }
    return null;
  }
}
