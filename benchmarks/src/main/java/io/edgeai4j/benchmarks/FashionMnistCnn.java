package io.edgeai4j.benchmarks;

import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.IdxSource;
import io.edgeai4j.optimize.data.TestDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The trained Fashion-MNIST conv classifier of {@code model-optimization}'s tests and its data, for
 * {@link QuantizedLatencyBenchmark}: the committed fp32 model (input {@code image} float32 {@code [batch, 1, 28, 28]}
 * in [0, 1], output {@code probabilities} {@code [batch, 10]}, 287,658 parameters), the calibration sets
 * {@code FashionMnistQuantizationTest} uses (the first {@value #CALIBRATION_ROWS} training images, sets of
 * {@value #ROWS_PER_SET}, pixel / 255, as {@code edge model dataset --from-idx} writes them) and the first test image.
 * Stateless.
 */
final class FashionMnistCnn {
  /** The model, relative to the repository root. */
  static final Path MODEL =
      Path.of("model-tooling/model-optimization/src/test/resources/fashion-mnist/fashion_mnist_cnn.onnx");
  /** The system property that names the model file instead. */
  static final String MODEL_PROPERTY = "edgeai4j.fashionCnn";
  /** Where Debian's {@code dataset-fashion-mnist} installs the IDX files. */
  static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
  static final int CALIBRATION_ROWS = 512;
  static final int ROWS_PER_SET = 64;
  private static final double PIXEL_SCALE = 255;

  private FashionMnistCnn() {}

  /**
   * The fp32 model: the file named by {@code -Dedgeai4j.fashionCnn} when set, else {@link #MODEL} under the first of
   * {@code start} and its parents that holds it.
   *
   * @param property The property's value, or null.
   * @throws IllegalStateException Naming the file the property names, or both ways of finding it.
   */
  static Path model(String property, Path start) {
    if (property != null) {
      Path file = Path.of(property);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("-D" + MODEL_PROPERTY + "=" + property + " is not a file; expected the"
            + " Fashion-MNIST CNN (" + MODEL.getFileName() + ")");
      }
      return file;
    }
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MODEL))) {
        return dir.resolve(MODEL);
      }
    }
    throw new IllegalStateException("no " + MODEL + " under " + start.toAbsolutePath() + " or its parents, and -D"
        + MODEL_PROPERTY + " is not set; run from the edgeai4j checkout or pass -D" + MODEL_PROPERTY + "=FILE"
        + " (with JMH: -jvmArgsAppend -D" + MODEL_PROPERTY + "=FILE)");
  }

  /**
   * Writes the calibration sets into {@code dir}.
   *
   * @throws IllegalStateException When Fashion-MNIST is not in {@code data}, naming the package that installs it.
   */
  static void writeCalibration(Path data, Path dir) throws DataSetException {
    IdxSource.Rows rows = read(data, "train", CALIBRATION_ROWS);
    TestDataSetWriter.write(dir, List.of(rows.input()), rows.labels(), ROWS_PER_SET);
  }

  /** The first test image, {@code [1, 1, 28, 28]}, pixel / 255. */
  static float[] firstTestImage(Path data) throws DataSetException {
    double[] values = read(data, "t10k", 1).input().values();
    float[] x = new float[values.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) values[i];
    }
    return x;
  }

  /** The first test image's label. */
  static int firstTestLabel(Path data) throws DataSetException {
    return (int) read(data, "t10k", 1).labels().orElseThrow().values()[0];
  }

  private static IdxSource.Rows read(Path data, String file, int rows) throws DataSetException {
    Path images = data.resolve(file + "-images-idx3-ubyte.gz");
    Path labels = data.resolve(file + "-labels-idx1-ubyte.gz");
    Path missing = !Files.isRegularFile(images) ? images : !Files.isRegularFile(labels) ? labels : null;
    if (missing != null) {
      throw new IllegalStateException("Fashion-MNIST is not installed: " + missing + " is not a file; run `apt-get install dataset-fashion-mnist` (as root; model-tooling/fashion-mnist.sh does so)");
    }
    return IdxSource.read(images, labels, PIXEL_SCALE, rows);
  }
}
