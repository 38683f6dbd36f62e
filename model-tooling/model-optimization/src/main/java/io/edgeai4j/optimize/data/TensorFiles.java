package io.edgeai4j.optimize.data;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgeai4j.inference.backend.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads one serialized ONNX {@code TensorProto} ({@code input_0.pb}, {@code labels.pb}), in either of the two ways
 * ONNX stores values: {@code raw_data} (little-endian) or the typed repeated fields. Numeric types only: float32,
 * float64, float16, bfloat16, int8/16/32/64, uint8/16/32/64, bool. Stateless, thread-safe.
 */
public final class TensorFiles {
  private TensorFiles() {}

  /** @throws DataSetException Naming the file: missing, not a TensorProto, a type that is not numeric, or a size mismatch. */
  public static DataTensor read(Path file) throws DataSetException {
    OnnxMl.TensorProto proto;
    try {
      proto = OnnxMl.TensorProto.parseFrom(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new DataSetException(file, "no such file", e);
    } catch (InvalidProtocolBufferException e) {
      throw new DataSetException(file, "not a serialized ONNX TensorProto (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new DataSetException(file, "cannot be read: " + e, e);
    }
    long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
    try {
      return new DataTensor(proto.getName(), proto.getDataType(), shape, values(proto));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new DataSetException(file, e.getMessage(), e);
    }
  }

  private static double[] values(OnnxMl.TensorProto t) {
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(t.getDataType());
    if (type == null) {
      throw new IllegalArgumentException("unknown element type " + t.getDataType());
    }
    ByteString raw = t.getRawData();
    boolean hasRaw = !raw.isEmpty();
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return switch (type) {
      case FLOAT -> hasRaw ? read(b, 4, () -> b.getFloat())
          : t.getFloatDataList().stream().mapToDouble(Float::doubleValue).toArray();
      case DOUBLE -> hasRaw ? read(b, 8, b::getDouble) : t.getDoubleDataList().stream().mapToDouble(d -> d).toArray();
      case INT64 -> hasRaw ? read(b, 8, () -> b.getLong()) : t.getInt64DataList().stream().mapToDouble(l -> l).toArray();
      case UINT64 -> hasRaw ? read(b, 8, () -> unsigned(b.getLong()))
          : t.getUint64DataList().stream().mapToDouble(TensorFiles::unsigned).toArray();
      case INT32 -> hasRaw ? read(b, 4, () -> b.getInt()) : ints(t);
      case UINT32 -> hasRaw ? read(b, 4, () -> Integer.toUnsignedLong(b.getInt()))
          : t.getUint64DataList().stream().mapToDouble(l -> l).toArray();
      case INT16 -> hasRaw ? read(b, 2, () -> b.getShort()) : ints(t);
      case UINT16 -> hasRaw ? read(b, 2, () -> Short.toUnsignedInt(b.getShort())) : ints(t);
      case INT8 -> hasRaw ? read(b, 1, () -> b.get()) : ints(t);
      case UINT8, BOOL -> hasRaw ? read(b, 1, () -> Byte.toUnsignedInt(b.get())) : ints(t);
      case FLOAT16 -> hasRaw ? read(b, 2, () -> HalfFloats.float16ToFloat(b.getShort()))
          : t.getInt32DataList().stream().mapToDouble(i -> HalfFloats.float16ToFloat((short) (int) i)).toArray();
      case BFLOAT16 -> hasRaw ? read(b, 2, () -> HalfFloats.bfloat16ToFloat(b.getShort()))
          : t.getInt32DataList().stream().mapToDouble(i -> HalfFloats.bfloat16ToFloat((short) (int) i)).toArray();
      default -> throw new IllegalArgumentException("element type " + type + " is not numeric; expected float32,"
          + " float64, float16, bfloat16, an integer type or bool");
    };
  }

  private static double[] ints(OnnxMl.TensorProto t) {
    return t.getInt32DataList().stream().mapToDouble(i -> i).toArray();
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  private interface Next {
    double get();
  }

  private static double[] read(ByteBuffer b, int bytes, Next next) {
    if (b.remaining() % bytes != 0) {
      throw new IllegalArgumentException("raw_data holds " + b.remaining() + " bytes, not a whole number of "
          + bytes + "-byte elements");
    }
    double[] values = new double[b.remaining() / bytes];
    for (int i = 0; i < values.length; i++) {
      values[i] = next.get();
    }
    return values;
  }
}
