package io.edgeai4j.inference.module.partition;

import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.ActivationEncoding;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The activations payload: the output tensors of one part of a split model, for the next part, in one byte array.
 * Little-endian throughout:
 *
 * <pre>
 * magic "EAIA" (4) | format version u8 = 1 | tensor count u16 | context length u32 | context (UTF-8 JSON)
 * per tensor: name length u16 | name (UTF-8) | element type u8 | encoding u8 | rank u8 | dims i64 × rank
 *             | scale f32 | zero point i32 | data length u64
 * then each tensor's data, in the same order | CRC-32C of everything before it, u32
 * </pre>
 *
 * Element type codes: the order of {@link ElementType} (float32 0, float64 1, float16 2, bfloat16 3, int8 4, uint8 5,
 * int32 6, int64 7, bool 8). Encodings: {@link Wire#RAW} (the element type's own bytes), {@link Wire#FLOAT16} (a float32
 * tensor as IEEE binary16, nearest even; a finite value beyond ±65504 becomes ±infinity, as every float16 conversion
 * does), {@link Wire#UINT8} (a float32 tensor quantized as ONNX's {@code DynamicQuantizeLinear} then
 * {@code QuantizeLinear} do: {@code scale = (max(0, max x) - min(0, min x)) / 255}, {@code zeroPoint =
 * clamp(round(-min(0, min x) / scale), 0, 255)}, {@code q = clamp(round(x / scale) + zeroPoint, 0, 255)}, rounding half
 * to even; decoded as {@code DequantizeLinear}: {@code (q - zeroPoint) × scale}). The range is taken over the finite
 * values; +infinity saturates to 255, -infinity to 0 and NaN becomes the zero point (0 when decoded). Only float32
 * tensors are encoded; tensors of other types travel raw. Decoding gives float32 back for encoded tensors. Stateless.
 */
public final class ActivationCodec {
  /** The first four bytes of every payload. */
  public static final int MAGIC = 0x41494145; // "EAIA" little-endian
  /** The format version written and the only one read. */
  public static final int VERSION = 1;
  /** The most tensors one payload holds. */
  public static final int MAX_TENSORS = 1024;
  private static final int MAX_RANK = 8;

  /** The wire encoding of one tensor. */
  public enum Wire {
    RAW,
    FLOAT16,
    UINT8
  }

  /**
   * The decoded payload.
   *
   * @param context The sender's request context (UTF-8 JSON text as written).
   * @param tensors The tensors, float32 where they were encoded.
   */
  public record Decoded(String context, List<Tensor> tensors) {}

  /**
   * What the encoder counted that the encoding could not carry exactly.
   *
   * @param overflowed Finite float32 values beyond float16's range, sent as ±infinity.
   * @param saturated Infinite values clamped to the ends of the uint8 range.
   * @param nan NaN values sent as the zero point (decoded as 0) by the uint8 encoding.
   */
  public record Losses(long overflowed, long saturated, long nan) {
    static final Losses NONE = new Losses(0, 0, 0);

    Losses plus(Losses other) {
      return new Losses(overflowed + other.overflowed, saturated + other.saturated, nan + other.nan);
    }
  }

  /** An encoded payload and what its encoding lost. */
  public record Encoded(byte[] payload, Losses losses) {}

  private ActivationCodec() {}

  /** The wire encoding of a tensor of {@code type} under {@code encoding}. */
  static Wire wire(ElementType type, ActivationEncoding encoding) {
    if (type != ElementType.FLOAT32) {
      return Wire.RAW;
    }
    return switch (encoding) {
      case FLOAT32 -> Wire.RAW;
      case FLOAT16 -> Wire.FLOAT16;
      case INT8 -> Wire.UINT8;
    };
  }

  /**
   * Encodes tensors.
   *
   * @param context The request context the next part needs (UTF-8 JSON text), carried as it is.
   * @throws IllegalArgumentException If there are no tensors or more than {@link #MAX_TENSORS}, or one has more than 8
   *     dimensions or a name over 65535 UTF-8 bytes.
   */
  public static Encoded encode(List<Tensor> tensors, ActivationEncoding encoding, String context) {
    if (tensors.isEmpty() || tensors.size() > MAX_TENSORS) {
      throw new IllegalArgumentException("an activations payload holds 1 to " + MAX_TENSORS + " tensors, found "
          + tensors.size());
    }
    byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
    List<byte[]> names = new ArrayList<>();
    List<ByteBuffer> data = new ArrayList<>();
    List<float[]> quantization = new ArrayList<>();
    Losses losses = Losses.NONE;
    long header = 4 + 1 + 2 + 4 + contextBytes.length;
    long body = 0;
    for (Tensor t : tensors) {
      byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 0xffff) {
        throw new IllegalArgumentException("tensor name over 65535 bytes: " + t.name().substring(0, 40) + "...");
      }
      if (t.shape().length > MAX_RANK) {
        throw new IllegalArgumentException("tensor '" + t.name() + "' has " + t.shape().length
            + " dimensions, at most " + MAX_RANK + " travel");
      }
      names.add(name);
      Wire wire = wire(t.type(), encoding);
      float[] scaleZero = {1f, 0f};
      ByteBuffer bytes;
      switch (wire) {
        case RAW -> bytes = littleEndian(t);
        case FLOAT16 -> {
          FloatBuffer in = t.data().asFloatBuffer();
          bytes = ByteBuffer.allocate(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
          long overflowed = 0;
          while (in.hasRemaining()) {
            float v = in.get();
            short h = HalfFloats.floatToFloat16(v);
            if (Float.isFinite(v) && (h & 0x7c00) == 0x7c00) {
              overflowed++;
            }
            bytes.putShort(h);
          }
          bytes.flip();
          losses = losses.plus(new Losses(overflowed, 0, 0));
        }
        default -> {
          float[] values = t.toFloats();
          Quantized q = quantize(values);
          bytes = ByteBuffer.wrap(q.bytes);
          scaleZero = new float[] {q.scale, q.zeroPoint};
          losses = losses.plus(q.losses);
        }
      }
      quantization.add(scaleZero);
      data.add(bytes);
      header += 2 + name.length + 3 + 8L * t.shape().length + 4 + 4 + 8;
      body += bytes.remaining();
    }
    long total = header + body + 4;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("the activations are " + total + " bytes, over 2 GiB");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).put((byte) VERSION).putShort((short) tensors.size()).putInt(contextBytes.length)
        .put(contextBytes);
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      out.putShort((short) names.get(i).length).put(names.get(i));
      out.put((byte) t.type().ordinal()).put((byte) wire(t.type(), encoding).ordinal());
      long[] shape = t.shape();
      out.put((byte) shape.length);
      for (long d : shape) {
        out.putLong(d);
      }
      out.putFloat(quantization.get(i)[0]).putInt((int) quantization.get(i)[1]);
      out.putLong(data.get(i).remaining());
    }
    for (ByteBuffer b : data) {
      out.put(b);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return new Encoded(out.array(), losses);
  }

  private static ByteBuffer littleEndian(Tensor t) {
    ByteBuffer src = t.data();
    ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    int size = t.type().bytes();
    if (size == 1 || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      dst.put(src);
    } else {
      while (src.hasRemaining()) {
        switch (size) {
          case 2 -> dst.putShort(src.getShort());
          case 4 -> dst.putInt(src.getInt());
          default -> dst.putLong(src.getLong());
        }
      }
    }
    return dst.flip();
  }

  record Quantized(byte[] bytes, float scale, int zeroPoint, Losses losses) {}

  /** uint8 quantization as ONNX's DynamicQuantizeLinear: the range always includes 0, taken over finite values. */
  static Quantized quantize(float[] values) {
    float min = 0;
    float max = 0;
    for (float v : values) {
      if (Float.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    float scale = (max - min) / 255f;
    if (!(scale > 0) || !Float.isFinite(scale)) {
      scale = scale > 0 ? Float.MAX_VALUE / 255f : 1f; // all zeros (or a range beyond float): any scale keeps 0 exact
    }
    int zeroPoint = (int) clamp(Math.rint(-min / scale), 0, 255);
    byte[] q = new byte[values.length];
    long saturated = 0;
    long nan = 0;
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      int level;
      if (Float.isNaN(v)) {
        nan++;
        level = zeroPoint;
      } else if (Float.isInfinite(v)) {
        saturated++;
        level = v > 0 ? 255 : 0;
      } else {
        level = (int) clamp(Math.rint(v / scale) + zeroPoint, 0, 255);
      }
      q[i] = (byte) level;
    }
    return new Quantized(q, scale, zeroPoint, new Losses(0, saturated, nan));
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /**
   * Decodes a payload.
   *
   * @throws ActivationFormatException Naming what is wrong: not an activations payload (the magic found), another
   *     format version, a checksum that does not match (the payload was damaged), or a header whose sizes, types,
   *     encodings or shapes do not hold together.
   */
  public static Decoded decode(byte[] payload) throws ActivationFormatException {
    if (payload.length < 4 + 1 + 2 + 4 + 4) {
      throw new ActivationFormatException("activations payload of " + payload.length + " bytes: too short for its"
          + " header (at least 15 bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new ActivationFormatException("not an activations payload: the first bytes are 0x"
          + String.format("%08x", Integer.reverseBytes(magic)) + ", expected 0x"
          + String.format("%08x", Integer.reverseBytes(MAGIC)) + " (\"EAIA\")");
    }
    int version = in.get() & 0xff;
    if (version != VERSION) {
      throw new ActivationFormatException("activations payload format version " + version + ", this module reads"
          + " version " + VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length - 4);
    int expected = ByteBuffer.wrap(payload, payload.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if ((int) crc.getValue() != expected) {
      throw new ActivationFormatException("activations payload of " + payload.length + " bytes is damaged: its"
          + " CRC-32C is " + String.format("%08x", (int) crc.getValue()) + ", the payload says "
          + String.format("%08x", expected));
    }
    try {
      return decodeChecked(in, payload.length - 4);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new ActivationFormatException("activations payload of " + payload.length + " bytes: its header does"
          + " not hold together (" + e + ")");
    }
  }

  private static Decoded decodeChecked(ByteBuffer in, int end) throws ActivationFormatException {
    int count = in.getShort() & 0xffff;
    if (count < 1 || count > MAX_TENSORS) {
      throw new ActivationFormatException("activations payload: " + count + " tensors, expected 1 to " + MAX_TENSORS);
    }
    int contextLength = in.getInt();
    if (contextLength < 0 || contextLength > end - in.position()) {
      throw new ActivationFormatException("activations payload: context of " + contextLength + " bytes, only "
          + (end - in.position()) + " left");
    }
    byte[] context = new byte[contextLength];
    in.get(context);
    String[] names = new String[count];
    ElementType[] types = new ElementType[count];
    Wire[] wires = new Wire[count];
    long[][] shapes = new long[count][];
    float[] scales = new float[count];
    int[] zeroPoints = new int[count];
    long[] lengths = new long[count];
    long bodyBytes = 0;
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[in.getShort() & 0xffff];
      in.get(name);
      names[i] = new String(name, StandardCharsets.UTF_8);
      int type = in.get() & 0xff;
      int wire = in.get() & 0xff;
      int rank = in.get() & 0xff;
      if (type >= ElementType.values().length || wire >= Wire.values().length || rank > MAX_RANK) {
        throw new ActivationFormatException("activations payload: tensor '" + names[i] + "' has element type code "
            + type + ", encoding code " + wire + " and rank " + rank + "; expected codes below "
            + ElementType.values().length + " and " + Wire.values().length + ", rank at most " + MAX_RANK);
      }
      types[i] = ElementType.values()[type];
      wires[i] = Wire.values()[wire];
      if (wires[i] != Wire.RAW && types[i] != ElementType.FLOAT32) {
        throw new ActivationFormatException("activations payload: tensor '" + names[i] + "' is " + types[i].spelling()
            + " encoded " + wires[i] + "; only float32 tensors are encoded");
      }
      shapes[i] = new long[rank];
      for (int d = 0; d < rank; d++) {
        shapes[i][d] = in.getLong();
        if (shapes[i][d] < 0) {
          throw new ActivationFormatException("activations payload: tensor '" + names[i] + "' has shape "
              + Arrays.toString(shapes[i]) + " with a negative dimension");
        }
      }
      scales[i] = in.getFloat();
      zeroPoints[i] = in.getInt();
      lengths[i] = in.getLong();
      long elements = Tensor.elementCount(shapes[i]);
      long bytesPer = switch (wires[i]) {
        case RAW -> types[i].bytes();
        case FLOAT16 -> 2;
        case UINT8 -> 1;
      };
      if (lengths[i] != Math.multiplyExact(elements, bytesPer)) {
        throw new ActivationFormatException("activations payload: tensor '" + names[i] + "' of shape "
            + Arrays.toString(shapes[i]) + " encoded " + wires[i] + " needs " + elements * bytesPer + " bytes, the"
            + " header says " + lengths[i]);
      }
      if (wires[i] == Wire.UINT8 && (!(scales[i] > 0) || !Float.isFinite(scales[i]) || zeroPoints[i] < 0
          || zeroPoints[i] > 255)) {
        throw new ActivationFormatException("activations payload: tensor '" + names[i] + "' has scale " + scales[i]
            + " and zero point " + zeroPoints[i] + "; expected a positive finite scale and a zero point 0 to 255");
      }
      bodyBytes += lengths[i];
    }
    if (bodyBytes != end - in.position()) {
      throw new ActivationFormatException("activations payload: its tensors hold " + bodyBytes + " bytes, "
          + (end - in.position()) + " follow the header");
    }
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = (int) lengths[i];
      ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN).limit(n);
      in.position(in.position() + n);
      tensors.add(switch (wires[i]) {
        case RAW -> Tensor.wrap(names[i], types[i], shapes[i], slice);
        case FLOAT16 -> {
          float[] values = new float[n / 2];
          for (int k = 0; k < values.length; k++) {
            values[k] = HalfFloats.float16ToFloat(slice.getShort());
          }
          yield Tensor.ofFloats(names[i], shapes[i], values);
        }
        case UINT8 -> {
          float[] values = new float[n];
          for (int k = 0; k < n; k++) {
            values[k] = ((slice.get() & 0xff) - zeroPoints[i]) * scales[i];
          }
          yield Tensor.ofFloats(names[i], shapes[i], values);
        }
      });
    }
    return new Decoded(new String(context, StandardCharsets.UTF_8), tensors);
  }
}
