package io.edgeai4j.train.fashion;

import io.edgeai4j.optimize.data.DataSetException;
import io.edgeai4j.optimize.data.IdxFiles;
import io.edgeai4j.train.fit.LabelledRows;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence) as Debian's {@code dataset-fashion-mnist} installs it:
 * 60,000 training and 10,000 test images of 28×28 grey pixels, 10 classes of clothing, in IDX files. Rows are scaled
 * to [0, 1] (pixel / 255) with shape {@code [1, 28, 28]}, as {@code edge model dataset --from-idx} writes them.
 */
public final class FashionMnist {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  /** The 60,000 training images and labels of {@code dir}. */
  public static LabelledRows train(Path dir) throws DataSetException {
    return read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
  }

  /** The 10,000 test images and labels of {@code dir}. */
  public static LabelledRows test(Path dir) throws DataSetException {
    return read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
  }

  /** Images (IDX, [n, h, w] unsigned bytes) and labels (IDX, [n]) as rows of shape [1, h, w] in [0, 1]. */
  public static LabelledRows read(Path images, Path labels) throws DataSetException {
    IdxFiles.UnsignedBytes x = IdxFiles.read(images);
    IdxFiles.UnsignedBytes y = IdxFiles.read(labels);
    if (x.shape().length != 3) {
      throw new DataSetException(images, "IDX images of rank " + x.shape().length + ", expected [n, height, width]",
          null);
    }
    if (y.shape().length != 1 || y.rows() != x.rows()) {
      throw new DataSetException(labels, "IDX labels of shape " + java.util.Arrays.toString(y.shape())
          + ", expected one per image of " + images + " (" + x.rows() + ")", null);
    }
    int[] pixels = x.values();
    float[] values = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      values[i] = pixels[i] / 255f;
    }
    return new LabelledRows(values, new long[] {1, x.shape()[1], x.shape()[2]}, y.values());
  }
}
