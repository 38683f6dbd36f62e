package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.IdxSource;
import io.edgeai4j.optimize.data.NpyFiles;
import io.edgeai4j.optimize.data.SimulatedData;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.training.FaultClass;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge model dataset}: writes a data directory in ONNX's test-data layout ({@code test_data_set_<n>/input_<i>.pb},
 * {@code labels.pb}) from {@code .npy} files, IDX files (MNIST, Fashion-MNIST) or the ingestion simulator, for
 * {@code edge model evaluate} and {@code edge model quantize --calibration}.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = {"Writes OUT_DIR/test_data_set_<n>/input_<i>.pb (ONNX TensorProtos, raw data) and labels.pb (int64 class"
        + " indices) from .npy files (--from-npy), IDX images and labels (--from-idx: MNIST, Fashion-MNIST) or the"
        + " ingestion simulator (--from-simulator), cut into sets of --rows-per-set rows. OUT_DIR must be new or"
        + " empty."})
public final class DatasetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OUT_DIR", description = "The data directory to write (new or empty).")
  Path out;

  @Option(names = "--from-npy", split = ",", paramLabel = "INPUTS.npy",
      description = "One .npy file per model input, in the model's input order (input_0.pb, input_1.pb, ...); each"
          + " holds every row along its first dimension. NumPy format 1-3, C order, float32/64, (u)int8-64, bool.")
  List<Path> npy;

  @Option(names = "--labels", paramLabel = "LABELS",
      description = "Class indices, one per row, written as labels.pb (int64). With --from-npy: a 1-D integer .npy."
          + " With --from-idx: an IDX labels file (rank 1, unsigned bytes, gzip or plain, e.g."
          + " t10k-labels-idx1-ubyte.gz), as many labels as images.")
  Path labels;

  @Option(names = "--from-idx", paramLabel = "IMAGES.idx[.gz]",
      description = "An IDX file of unsigned bytes (MNIST, Fashion-MNIST; gzip or plain): rank 3 [images, H, W] is"
          + " written as input 'input' float32 [rows, 1, H, W] (the channel axis conv classifiers take), rank 2"
          + " [images, D] as [rows, D]; each value is pixel / --pixel-scale.")
  Path idx;

  @Option(names = "--pixel-scale", paramLabel = "X",
      description = "With --from-idx: each value written is pixel / X. Default: 255 (values in [0, 1]); 1 keeps the"
          + " raw 0-255.")
  Double pixelScale;

  @Option(names = "--rows", paramLabel = "N",
      description = "With --from-idx: only the first N images (and labels), e.g. a calibration subset. Default: all.")
  Integer rows;

  @Option(names = "--from-simulator", paramLabel = "features|windows",
      description = "Simulated machines, labelled with the simulated fault class (0 normal, 1 imbalance,"
          + " 2 misalignment, 3 outerRace, 4 innerRace), as the fault classifier's training data: 'features' writes"
          + " input 'features' float32 [rows, 10] (the sensor-ingestion features message), 'windows' input 'window'"
          + " float32 [rows, 1, WINDOW] (raw vibration).")
  String simulator;

  @Option(names = "--seconds", paramLabel = "S",
      description = "With --from-simulator: each run's simulated length in seconds, more than 2 (faults step in at"
          + " 2 s). Default: 12.")
  Double seconds;

  @Option(names = "--seed", paramLabel = "N",
      description = "With --from-simulator: seeds the draw of machines and faults. Default: 2, which with the other"
          + " defaults gives the fault classifier's held-out test runs (TrainingRecipe.TEST).")
  Long seed;

  @Option(names = "--runs-per-class", paramLabel = "N",
      description = "With --from-simulator: simulated runs of each class. Default: 10.")
  Integer runsPerClass;

  @Option(names = "--window", paramLabel = "N",
      description = "With --from-simulator: samples per window (5000 Hz; a power of two for features). Default: 2048.")
  Integer window;

  @Option(names = "--hop", paramLabel = "N",
      description = "With --from-simulator: samples between window starts. Default: 1024.")
  Integer hop;

  @Option(names = "--rows-per-set", paramLabel = "N", defaultValue = "100",
      description = "Rows in each test_data_set_<n> (the last holds the rest). Default: ${DEFAULT-VALUE}.")
  int rowsPerSet;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    boolean fromNpy = npy != null && !npy.isEmpty();
    boolean fromIdx = idx != null;
    boolean fromSimulator = simulator != null;
    if (Stream.of(fromNpy, fromIdx, fromSimulator).filter(b -> b).count() != 1) {
      err.println("edge model dataset: give exactly one of --from-npy, --from-idx and --from-simulator");
      return ExitCodes.USAGE;
    }
    if (!fromSimulator && Stream.of(seconds, seed, runsPerClass, window, hop).anyMatch(o -> o != null)) {
      err.println("edge model dataset: --seconds, --seed, --runs-per-class, --window and --hop go with"
          + " --from-simulator, not " + (fromNpy ? "--from-npy" : "--from-idx"));
      return ExitCodes.USAGE;
    }
    if (fromSimulator && labels != null) {
      err.println("edge model dataset: --labels goes with --from-npy or --from-idx; the simulator labels its rows"
          + " itself");
      return ExitCodes.USAGE;
    }
    if (!fromIdx && (pixelScale != null || rows != null)) {
      err.println("edge model dataset: --pixel-scale and --rows go with --from-idx, not "
          + (fromNpy ? "--from-npy" : "--from-simulator"));
      return ExitCodes.USAGE;
    }
    if (pixelScale != null && !(pixelScale > 0 && Double.isFinite(pixelScale))) {
      err.println("edge model dataset: --pixel-scale must be a positive number, found " + pixelScale);
      return ExitCodes.USAGE;
    }
    if (rows != null && rows < 1) {
      err.println("edge model dataset: --rows must be at least 1, found " + rows);
      return ExitCodes.USAGE;
    }
    if (rowsPerSet < 1) {
      err.println("edge model dataset: --rows-per-set must be at least 1, found " + rowsPerSet);
      return ExitCodes.USAGE;
    }
    if (notEmpty(out)) {
      err.println("edge model dataset: OUT_DIR '" + out + "' exists and is not an empty directory; refusing to mix"
          + " new sets with what it holds");
      return ExitCodes.CANT_CREATE;
    }
    List<DataTensor> inputs = new ArrayList<>();
    Optional<DataTensor> labelTensor;
    String source;
    if (fromNpy) {
      List<Path> files = new ArrayList<>(npy);
      if (labels != null) {
        files.add(labels);
      }
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          err.println("edge model dataset: '" + f + "': no such file");
          return ExitCodes.NO_INPUT;
        }
      }
      try {
        for (Path f : npy) {
          inputs.add(NpyFiles.read(f));
        }
        labelTensor = labels == null ? Optional.empty() : Optional.of(NpyFiles.read(labels));
      } catch (DataSetException e) {
        err.println("edge model dataset: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      if (labelTensor.isPresent() && !isInteger(labelTensor.get().elementType())) {
        err.println("edge model dataset: '" + labels + "' holds ONNX element type " + labelTensor.get().elementType()
            + "; expected an integer dtype of class indices (e.g. '<i8')");
        return ExitCodes.DATA_ERROR;
      }
      source = npy.size() + " .npy file(s)";
    } else if (fromIdx) {
      for (Path f : labels == null ? List.of(idx) : List.of(idx, labels)) {
        if (!Files.isRegularFile(f)) {
          err.println("edge model dataset: '" + f + "': no such file");
          return ExitCodes.NO_INPUT;
        }
      }
      double scale = pixelScale == null ? 255 : pixelScale;
      IdxSource.Rows read;
      try {
        read = IdxSource.read(idx, labels, scale, rows);
      } catch (DataSetException e) {
        err.println("edge model dataset: " + e.getMessage());
        return ExitCodes.DATA_ERROR;
      }
      inputs.add(read.input());
      labelTensor = read.labels();
      source = "'" + idx + "' (IDX " + Arrays.toString(read.imageShape()) + (read.input().rows() < read.available()
          ? ", the first " + read.input().rows() : "") + ", pixel / "
          + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString() + ")";
    } else {
      SimulatedData.Kind kind;
      try {
        kind = SimulatedData.Kind.valueOf(simulator.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        err.println("edge model dataset: --from-simulator '" + simulator + "'; expected features or windows");
        return ExitCodes.USAGE;
      }
      SimulatedData.Rows rows;
      try {
        SimulatedData recipe = new SimulatedData(kind, seed == null ? 2 : seed,
            runsPerClass == null ? 10 : runsPerClass,
            Duration.ofMillis(Math.round((seconds == null ? 12 : seconds) * 1000)), window == null ? 2048 : window,
            hop == null ? 1024 : hop);
        rows = recipe.generate();
      } catch (IllegalArgumentException e) {
        err.println("edge model dataset: --from-simulator " + simulator + ": " + e.getMessage());
        return ExitCodes.USAGE;
      }
      inputs.add(rows.input());
      labelTensor = Optional.of(rows.labels());
      source = "the simulator (" + simulator + ", classes " + String.join(", ", classes()) + ")";
    }
    TestDataSetWriter.Written written;
    try {
      written = TestDataSetWriter.write(out, inputs, labelTensor, rowsPerSet);
    } catch (IllegalArgumentException e) {
      err.println("edge model dataset: " + e.getMessage());
      return ExitCodes.DATA_ERROR;
    } catch (DataSetException e) {
      err.println("edge model dataset: " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("wrote " + written.sets() + " set(s), " + written.rows() + " rows (up to " + rowsPerSet
        + " per set) to " + out + " from " + source);
    for (int i = 0; i < inputs.size(); i++) {
      DataTensor t = inputs.get(i);
      long[] shape = t.shape();
      o.println("  input_" + i + ".pb: '" + t.name() + "', ONNX type " + t.elementType() + ", shape "
          + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)).replace("[", "[rows" + (shape.length > 1
              ? ", " : "")));
    }
    o.println(labelTensor.isPresent() ? "  labels.pb: int64, one class index per row" : "  no labels");
    return ExitCodes.OK;
  }

  private static List<String> classes() {
    List<String> names = new ArrayList<>();
    for (FaultClass c : FaultClass.values()) {
      names.add(c.ordinal() + " " + c.label());
    }
    return names;
  }

  private static boolean isInteger(int onnxType) {
    return onnxType >= 2 && onnxType <= 7 || onnxType == 12 || onnxType == 13;
  }

  private static boolean notEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return false;
    }
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isPresent();
    } catch (IOException e) {
      return true;
    }
  }
}
