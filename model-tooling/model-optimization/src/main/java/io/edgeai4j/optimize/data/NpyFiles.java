package io.edgeai4j.optimize.data;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} files (format versions 1.0, 2.0 and 3.0) into a {@link DataTensor} named after the file
 * (its name without {@code .npy}). Strict: C order only; little- or big-endian float32/float64, int8/16/32/64,
 * uint8/16/32/64 and bool. Fortran order, object arrays, structured, complex, string and float16 arrays are refused
 * with the header found. The whole array is read into memory (at most 2^31 - 1 elements). Stateless, thread-safe.
 */
public final class NpyFiles {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Pattern DTYPE = Pattern.compile("([<>|=])([fiub])(\\d+)");

  private NpyFiles() {}

  /**
   * Reads one {@code .npy} file.
   *
   * @throws DataSetException Naming the file and what was found: not a {@code .npy} file, an unsupported version or
   *     dtype, Fortran order, or data shorter or longer than the shape.
   */
  public static DataTensor read(Path file) throws DataSetException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataSetException(file, "no such file", e);
    } catch (IOException e) {
      throw new DataSetException(file, "cannot be read: " + e, e);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (!b.hasRemaining() || b.get() != m) {
        throw new DataSetException(file, "not a .npy file: it does not start with \\x93NUMPY", null);
      }
    }
    if (b.remaining() < 2) {
      throw new DataSetException(file, "truncated .npy header", null);
    }
    int major = Byte.toUnsignedInt(b.get());
    b.get();
    long headerLength;
    if (major == 1) {
      headerLength = b.remaining() >= 2 ? Short.toUnsignedInt(b.getShort()) : -1;
    } else if (major == 2 || major == 3) {
      headerLength = b.remaining() >= 4 ? Integer.toUnsignedLong(b.getInt()) : -1;
    } else {
      throw new DataSetException(file, ".npy format version " + major + " is not supported; expected 1, 2 or 3", null);
    }
    if (headerLength < 0 || headerLength > b.remaining()) {
      throw new DataSetException(file, "truncated .npy header", null);
    }
    String header = new String(bytes, b.position(), (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    b.position(b.position() + (int) headerLength);
    try {
      return parse(file, header, b.slice());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new DataSetException(file, e.getMessage(), e);
    }
  }

  private static DataTensor parse(Path file, String header, ByteBuffer data) {
    if (!DESCR.matcher(header).find() && header.contains("'descr'")) {
      throw new IllegalArgumentException("the dtype is a structured array (found " + header.strip() + "); expected"
          + " a plain numeric dtype such as '<f4'");
    }
    String descr = find(DESCR, header, "descr");
    if (find(FORTRAN, header, "fortran_order").equals("True")) {
      throw new IllegalArgumentException("the array is in Fortran order; expected C order (save it with"
          + " numpy.ascontiguousarray)");
    }
    long[] shape = shape(find(SHAPE, header, "shape"));
    Matcher d = DTYPE.matcher(descr);
    if (!d.matches()) {
      throw new IllegalArgumentException("dtype '" + descr + "' is not supported; expected float32/float64,"
          + " int8..int64, uint8..uint64 or bool (e.g. '<f4'), not an object, string, complex or structured array");
    }
    char kind = d.group(2).charAt(0);
    int size = Integer.parseInt(d.group(3));
    DataType type = type(kind, size, descr);
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    long expected = Math.multiplyExact(count, size);
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " of dtype '" + descr
          + "' needs " + expected + " data bytes, found " + data.remaining());
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the array holds " + count + " elements; at most " + (Integer.MAX_VALUE - 8)
          + " fit in memory");
    }
    data.order(order);
    double[] values = new double[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (type) {
        case FLOAT -> data.getFloat();
        case DOUBLE -> data.getDouble();
        case INT8 -> data.get();
        case UINT8 -> Byte.toUnsignedInt(data.get());
        case BOOL -> bool(data.get());
        case INT16 -> data.getShort();
        case UINT16 -> Short.toUnsignedInt(data.getShort());
        case INT32 -> data.getInt();
        case UINT32 -> Integer.toUnsignedLong(data.getInt());
        case INT64 -> data.getLong();
        case UINT64 -> unsigned(data.getLong());
        default -> throw new IllegalStateException(type.toString());
      };
    }
    String name = file.getFileName().toString().replaceFirst("\\.npy$", "");
    return new DataTensor(name, type.getNumber(), shape, values);
  }

  private static double bool(byte b) {
    if (b != 0 && b != 1) {
      throw new IllegalArgumentException("a bool element holds " + Byte.toUnsignedInt(b) + "; expected 0 or 1");
    }
    return b;
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  private static DataType type(char kind, int size, String descr) {
    DataType type = switch (kind) {
      case 'f' -> size == 4 ? DataType.FLOAT : size == 8 ? DataType.DOUBLE : null;
      case 'i' -> switch (size) {
        case 1 -> DataType.INT8;
        case 2 -> DataType.INT16;
        case 4 -> DataType.INT32;
        case 8 -> DataType.INT64;
        default -> null;
      };
      case 'u' -> switch (size) {
        case 1 -> DataType.UINT8;
        case 2 -> DataType.UINT16;
        case 4 -> DataType.UINT32;
        case 8 -> DataType.UINT64;
        default -> null;
      };
      case 'b' -> size == 1 ? DataType.BOOL : null;
      default -> null;
    };
    if (type == null) {
      throw new IllegalArgumentException("dtype '" + descr + "' is not supported; expected float32/float64 ('<f4',"
          + " '<f8'), int8..int64, uint8..uint64 or bool ('|b1')");
    }
    return type;
  }

  private static String find(Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("the .npy header has no '" + key + "' (found " + header.strip() + ")");
    }
    return m.group(1);
  }

  private static long[] shape(String tuple) {
    List<Long> dims = new ArrayList<>();
    for (String part : tuple.split(",")) {
      String s = part.strip().replaceFirst("L$", "");
      if (!s.isEmpty()) {
        try {
          dims.add(Long.parseLong(s));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("shape (" + tuple + ") holds '" + s + "'; expected integers", e);
        }
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }
}
