package io.edgeai4j.optimize.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte}):
 * a big-endian header (two zero bytes, a type byte, the number of dimensions, each dimension as int32) and then the
 * values in C order. Only unsigned bytes (type {@code 0x08}), the type of both data sets, are read; gzip is detected by
 * its magic number. Strict: other types, a short or long file and more than 2^31 - 1 values are refused, naming the
 * file and what was found. Stateless, thread-safe.
 */
public final class IdxFiles {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxFiles() {}

  /**
   * The values of an IDX file of unsigned bytes.
   *
   * @param shape The dimensions from the header, e.g. {@code [10000, 28, 28]} for images, {@code [10000]} for labels.
   * @param values Every value, 0 to 255, in C order.
   */
  public record UnsignedBytes(int[] shape, int[] values) {
    /** The first dimension: images or labels in the file. */
    public int rows() {
      return shape[0];
    }

    /** Values per row: the product of the dimensions after the first (1 for labels). */
    public int rowSize() {
      int size = 1;
      for (int i = 1; i < shape.length; i++) {
        size *= shape[i];
      }
      return size;
    }
  }

  /**
   * Reads one file, gzip-compressed or not.
   *
   * @throws DataSetException Naming the file: missing, not IDX, a type other than unsigned byte, data shorter or
   *     longer than the header says.
   */
  public static UnsignedBytes read(Path file) throws DataSetException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in = new DataInputStream(
          new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
        return read(file, in);
      }
    } catch (NoSuchFileException e) {
      throw new DataSetException(file, "no such file", e);
    } catch (EOFException e) {
      throw new DataSetException(file, "is a truncated gzip stream: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataSetException(file, "cannot be read: " + e, e);
    }
  }

  private static UnsignedBytes read(Path file, DataInputStream in) throws IOException, DataSetException {
    int zero;
    int type;
    int rank;
    try {
      zero = in.readUnsignedShort();
      type = in.readUnsignedByte();
      rank = in.readUnsignedByte();
    } catch (EOFException e) {
      throw new DataSetException(file, "ends inside its 4-byte IDX header (zero, zero, type, dimensions)", e);
    }
    if (zero != 0) {
      throw new DataSetException(file, String.format(
          "not an IDX file: it starts with 0x%04x, an IDX file with two zero bytes", zero), null);
    }
    if (type != UNSIGNED_BYTE) {
      throw new DataSetException(file, String.format(
          "IDX element type 0x%02x, expected 0x08 (unsigned byte, as in MNIST and Fashion-MNIST)", type), null);
    }
    if (rank == 0) {
      throw new DataSetException(file, "IDX header with 0 dimensions, expected at least 1", null);
    }
    int[] shape = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      try {
        shape[i] = in.readInt();
      } catch (EOFException e) {
        throw new DataSetException(file, "ends inside its IDX header: " + rank + " dimensions announced, " + i
            + " found", e);
      }
      if (shape[i] < 0) {
        throw new DataSetException(file, "IDX dimension " + i + " is negative: " + Integer.toUnsignedString(shape[i]),
            null);
      }
      count *= shape[i];
      if (count > Integer.MAX_VALUE) {
        throw new DataSetException(file, "IDX shape " + Arrays.toString(shape) + " holds more than 2^31 - 1 values",
            null);
      }
    }
    // readNBytes grows its buffer as data arrives: a header announcing more than the file holds costs no more memory
    // than the file.
    byte[] bytes = in.readNBytes((int) count);
    if (bytes.length < count) {
      throw new DataSetException(file, "holds " + bytes.length + " of the " + count + " values of its shape "
          + Arrays.toString(shape), null);
    }
    if (in.read() != -1) {
      throw new DataSetException(file, "holds more bytes than the " + count + " values of its shape "
          + Arrays.toString(shape), null);
    }
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = Byte.toUnsignedInt(bytes[i]);
    }
    return new UnsignedBytes(shape, values);
  }
}
