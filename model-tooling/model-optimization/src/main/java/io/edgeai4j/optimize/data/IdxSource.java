package io.edgeai4j.optimize.data;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The rows of {@code edge model dataset --from-idx}: IDX images (MNIST, Fashion-MNIST) as input {@code input} float32,
 * {@code [rows, 1, H, W]} for rank-3 images (the channel axis a conv classifier takes) or {@code [rows, D]} for rank 2,
 * each value {@code pixel / pixelScale}; IDX labels (rank 1, one per image) as int64 class indices. Behind {@code edge
 * model dataset --from-idx}; tests write their Fashion-MNIST sets with it, so both hold the same float32 values.
 * Stateless, thread-safe.
 */
public final class IdxSource {
  /** The name of the input tensor written. */
  public static final String INPUT = "input";

  /**
   * What was read.
   *
   * @param available The images in the file, before {@code --rows} took the first ones.
   */
  public record Rows(DataTensor input, Optional<DataTensor> labels, int[] imageShape, int available) {}

  private IdxSource() {}

  /**
   * Reads the images and, when given, their labels.
   *
   * @param labelsFile An IDX labels file, or null.
   * @param rows Only the first {@code rows} images and labels, or null for all.
   * @throws DataSetException Naming the file: not IDX of unsigned bytes, images not of rank 2 or 3, labels not of rank
   *     1, a label count other than the image count (naming both files), fewer images than {@code rows}.
   */
  public static Rows read(Path imagesFile, Path labelsFile, double pixelScale, Integer rows) throws DataSetException {
    IdxFiles.UnsignedBytes images = IdxFiles.read(imagesFile);
    int[] shape = images.shape();
    if (shape.length != 2 && shape.length != 3) {
      throw new DataSetException(imagesFile, "IDX images of shape " + Arrays.toString(shape) + "; expected rank 3"
          + " [images, height, width] (written [rows, 1, height, width]) or rank 2 [images, values]", null);
    }
    Optional<IdxFiles.UnsignedBytes> labels = Optional.empty();
    if (labelsFile != null) {
      IdxFiles.UnsignedBytes l = IdxFiles.read(labelsFile);
      if (l.shape().length != 1) {
        throw new DataSetException(labelsFile, "IDX labels of shape " + Arrays.toString(l.shape())
            + "; expected rank 1 [labels], one class index per image", null);
      }
      if (l.rows() != images.rows()) {
        throw new DataSetException(labelsFile, "holds " + l.rows() + " labels, '" + imagesFile + "' holds "
            + images.rows() + " images; expected one label per image", null);
      }
      labels = Optional.of(l);
    }
    int taken = rows == null ? images.rows() : rows;
    if (taken > images.rows()) {
      throw new DataSetException(imagesFile, "holds " + images.rows() + " images; --rows asks for the first " + taken,
          null);
    }
    int rowSize = images.rowSize();
    int[] pixels = images.values();
    double[] values = new double[Math.multiplyExact(taken, rowSize)];
    for (int i = 0; i < values.length; i++) {
      values[i] = pixels[i] / pixelScale;
    }
    long[] inputShape = shape.length == 3 ? new long[] {taken, 1, shape[1], shape[2]} : new long[] {taken, shape[1]};
    DataTensor input = new DataTensor(INPUT, DataType.FLOAT_VALUE, inputShape, values);
    Optional<DataTensor> labelTensor = labels.map(l -> new DataTensor("labels", DataType.INT64_VALUE,
        new long[] {taken}, Arrays.stream(l.values(), 0, taken).asDoubleStream().toArray()));
    return new Rows(input, labelTensor, shape, images.rows());
  }
}
