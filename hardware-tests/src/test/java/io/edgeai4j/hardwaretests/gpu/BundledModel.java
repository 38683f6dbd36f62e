package io.edgeai4j.hardwaretests.gpu;

import static org.assertj.core.api.Assertions.fail;

import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.optimize.data.DataTensor;
import io.edgeai4j.optimize.data.IdxSource;
import io.edgeai4j.optimize.data.SimulatedData;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import io.edgeai4j.optimize.data.TestDataSets;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import io.edgeai4j.optimize.quantize.CalibrationMethod;
import io.edgeai4j.optimize.quantize.QdqQuantizer;
import io.edgeai4j.optimize.quantize.QuantType;
import io.edgeai4j.optimize.quantize.QuantizeOptions;
import io.edgeai4j.optimize.quantize.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The two bundled models the GPU tests build engines of, each with its calibration data (for the INT8 engine's QDQ
 * model), its evaluation rows and labels, and its optimization profile (batch 1 to {@link #MAX_BATCH}). The data are
 * those of model-optimization's reference tests: the Fashion-MNIST CNN is calibrated on the first 512 training images
 * (8 sets of 64) as {@code FashionMnistQuantizationTest} and evaluated on the first {@link #FASHION_MNIST_ROWS} test
 * images; the fault classifier is calibrated on simulated windows of seed 1 and evaluated on the 2850 held-out windows
 * of seed 2, as {@code FaultClassifierQuantizationTest}.
 */
enum BundledModel {
  FAULT_CLASSIFIER("fault-classifier", "model-repository/fault-classifier/1/model.onnx", "features",
      new long[] {10}, 5,
      // As FaultClassifierQuantizationTest: the log compression's Mul and Add stay in float, else top-1 falls > 10
      // points; TensorRT's scheme (symmetric int8, per-channel weights).
      new QuantizeOptions(CalibrationMethod.MINMAX, true, false, QuantType.INT8, false, Set.of("Mul", "Add"),
          Target.TENSORRT)),
  FASHION_MNIST("fashion-mnist-cnn",
      "model-tooling/model-optimization/src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx", "image",
      new long[] {1, 28, 28}, 10,
      // FashionMnistQuantizationTest's tensorrt_like variant.
      new QuantizeOptions(CalibrationMethod.MINMAX, true, false, QuantType.INT8, false, Set.of(), Target.TENSORRT));

  /** The largest batch of every engine's profile (the fault classifier's {@code model.json} maxBatchSize). */
  static final int MAX_BATCH = 32;
  /** The batch TensorRT tunes for. */
  static final int OPT_BATCH = 8;
  /** Fashion-MNIST test images evaluated (one is 0.1 point). */
  static final int FASHION_MNIST_ROWS = 1000;
  /** Where the Fashion-MNIST files are: {@code -Dedgeai4j.hardware.fashionMnist=<dir>}, else where Debian's
   * {@code dataset-fashion-mnist} puts them. */
  static final Path FASHION_MNIST_DATA = Path.of(System.getProperty("edgeai4j.hardware.fashionMnist",
      "/usr/share/datasets/fashion-mnist"));

  final String label;
  final String path;
  final String input;
  final long[] sample;
  final int classes;
  final QuantizeOptions int8;

  BundledModel(String label, String path, String input, long[] sample, int classes, QuantizeOptions int8) {
    this.label = label;
    this.path = path;
    this.input = input;
    this.sample = sample;
    this.classes = classes;
    this.int8 = int8;
  }

  /** The rows the engines and ONNX Runtime are run on, row-major, and their labels. */
  record Rows(float[] values, int rows, int width, int[] labels) {
    float[] slice(int first, int count) {
      return Arrays.copyOfRange(values, first * width, (first + count) * width);
    }
  }

  /** The repository root: the parent of the module's directory (Surefire's working directory). */
  static Path repositoryRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (root == null || !Files.isRegularFile(root.resolve("pom.xml"))
        || !Files.isDirectory(root.resolve("hardware-tests"))) {
      fail("expected to run from hardware-tests/ of the repository (mvn -pl hardware-tests ...), found working"
          + " directory " + Path.of("").toAbsolutePath());
    }
    return root;
  }

  /** The bundled ONNX file; fails naming it when it is missing. */
  Path file() {
    Path f = repositoryRoot().resolve(path);
    if (!Files.isRegularFile(f)) {
      fail("the bundled model " + f + " is missing: expected it in the repository (" + path + ")");
    }
    return f;
  }

  /** Batch 1 to {@link #MAX_BATCH}, tuned for {@link #OPT_BATCH}. */
  ShapeProfile profile() {
    return new ShapeProfile(input, shape(1), shape(OPT_BATCH), shape(MAX_BATCH));
  }

  /** The input's shape for {@code batch} rows. */
  long[] shape(int batch) {
    long[] s = new long[sample.length + 1];
    s[0] = batch;
    System.arraycopy(sample, 0, s, 1, sample.length);
    return s;
  }

  /** Writes the calibration data sets under {@code dir} (as {@code edge model dataset} does) and returns it. */
  Path writeCalibration(Path dir) throws Exception {
    Path out = dir.resolve(label + "-calibration");
    switch (this) {
      case FAULT_CLASSIFIER -> {
        SimulatedData.Rows rows = SimulatedData.of(SimulatedData.Kind.FEATURES, 1, 2, Duration.ofSeconds(12))
            .generate();
        TestDataSetWriter.write(out, List.of(rows.input()), Optional.of(rows.labels()), 100);
      }
      case FASHION_MNIST -> {
        IdxSource.Rows read = IdxSource.read(fashionMnist("train-images-idx3-ubyte.gz"),
            fashionMnist("train-labels-idx1-ubyte.gz"), 255, 512);
        TestDataSetWriter.write(out, List.of(read.input()), read.labels(), 64);
      }
      default -> throw new IllegalStateException(name());
    }
    return out;
  }

  /** The evaluation rows and labels. */
  Rows evaluationRows() throws Exception {
    return switch (this) {
      case FAULT_CLASSIFIER -> {
        SimulatedData.Rows rows = SimulatedData.of(SimulatedData.Kind.FEATURES, 2, 10, Duration.ofSeconds(12))
            .generate();
        yield rows(rows.input(), rows.labels());
      }
      case FASHION_MNIST -> {
        IdxSource.Rows read = IdxSource.read(fashionMnist("t10k-images-idx3-ubyte.gz"),
            fashionMnist("t10k-labels-idx1-ubyte.gz"), 255, FASHION_MNIST_ROWS);
        yield rows(read.input(), read.labels().orElseThrow());
      }
    };
  }

  /** The INT8 engine's model: this model quantized for TensorRT (QDQ), written under {@code dir}. */
  Path quantizeForTensorRt(Path calibration, Path dir) throws Exception {
    QdqQuantizer.Result result = QdqQuantizer.quantize(OnnxModelFile.read(file()), TestDataSets.open(calibration),
        int8, null);
    Path out = dir.resolve(label + "-qdq-tensorrt.onnx");
    OnnxModelFile.writeChecked(result.model(), out);
    return out;
  }

  private Rows rows(DataTensor data, DataTensor labels) {
    int n = Math.toIntExact(data.rows());
    int width = Math.toIntExact(data.values().length / n);
    long expected = Arrays.stream(sample).reduce(1, Math::multiplyExact);
    if (width != expected) {
      throw new IllegalStateException(label + ": the data have " + width + " values per row, the model's input '"
          + input + "' takes " + Arrays.toString(sample));
    }
    float[] values = new float[data.values().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) data.values()[i];
    }
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      classes[i] = (int) labels.values()[i];
    }
    return new Rows(values, n, width, classes);
  }

  private static Path fashionMnist(String file) {
    Path f = FASHION_MNIST_DATA.resolve(file);
    if (!Files.isRegularFile(f)) {
      fail("Fashion-MNIST is not installed at " + FASHION_MNIST_DATA + " (no " + file + "): run `apt-get install"
          + " dataset-fashion-mnist` as root where Debian has it, or copy the four *-ubyte.gz files into a directory"
          + " and pass -Dedgeai4j.hardware.fashionMnist=<dir>");
    }
    return f;
  }
}
