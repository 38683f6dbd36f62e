package io.edgeai4j.inference.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;

/**
 * The JSON form of a tensor, as the inference module's {@code infer} message and {@code golden.json} write it:
 * {@code {"type": "float32", "shape": [1, 4], "data": [...]}} with {@code data} JSON numbers (flat or nested,
 * row-major) or {@code {"base64": "..."}} the little-endian bytes of the elements; optionally (when the caller gives
 * a {@link FileSource}) {@code "file"}, a reference to a file holding those bytes. The one decoder of that form:
 * every error names the tensor's JSON path, what was found and what was expected. Stateless; thread-safe.
 */
public final class TensorJson {
  /** The most elements one tensor may hold (256 Mi). */
  public static final long MAX_ELEMENTS = 1L << 28;
  /** The most bytes one tensor's elements may take (1 GiB): 256 Mi float32, 128 Mi float64 or int64. */
  public static final long MAX_BYTES = 1L << 30;
  /** The most dimensions a shape may have. */
  public static final int MAX_DIMENSIONS = 8;

  /** Reads the elements a {@code "file"} reference names. */
  @FunctionalInterface
  public interface FileSource {
    /**
     * Reads a referenced file's bytes.
     *
     * @param reference The {@code "file"} node.
     * @param type The elements' type.
     * @param count The elements the shape holds; a source refuses a file of another size before reading it
     *     ({@link #checkLength}).
     * @param path The node's dotted path, for errors.
     * @return The little-endian bytes of the elements, from position to limit (any buffer; a direct one in little
     *     endian order is used as it is on a little-endian machine).
     * @throws TensorFormatException Naming {@code path}, when the reference is refused or cannot be read.
     */
    ByteBuffer read(JsonNode reference, ElementType type, long count, String path) throws TensorFormatException;
  }

  private TensorJson() {}

  /**
   * Decodes a tensor given as {@code data} or {@code base64} (a {@code "file"} is refused).
   *
   * @param name The tensor's name.
   * @param node Its JSON form.
   * @param path The node's dotted path, for errors (e.g. {@code samples[0].inputs.x}).
   * @throws TensorFormatException Naming the path at fault; also for any unexpected failure while decoding.
   */
  public static Tensor decode(String name, JsonNode node, String path) throws TensorFormatException {
    return decode(name, node, path, null);
  }

  /**
   * Decodes a tensor given as {@code data}, {@code base64} or, when {@code files} is not null, {@code file}.
   * Refuses a shape over {@link #MAX_ELEMENTS}, {@link #MAX_BYTES} or {@link #MAX_DIMENSIONS} before reading or
   * allocating anything, and counts JSON values before allocating the tensor. The tensor is a direct buffer in
   * native order.
   *
   * @throws TensorFormatException Naming the path at fault; also for any unexpected failure while decoding.
   */
  public static Tensor decode(String name, JsonNode node, String path, FileSource files)
      throws TensorFormatException {
    try {
      return decodeChecked(name, node, path, files);
    } catch (RuntimeException e) {
      throw new TensorFormatException(path, "cannot be decoded: " + e);
    }
  }

  private static Tensor decodeChecked(String name, JsonNode node, String path, FileSource files)
      throws TensorFormatException {
    String sourcesAllowed = files == null ? "\"data\" or \"base64\"" : "\"data\", \"base64\" or \"file\"";
    if (node == null || !node.isObject()) {
      throw new TensorFormatException(path, "must be an object {\"type\", \"shape\", "
          + (files == null ? "\"data\" | \"base64\"" : "\"data\" | \"base64\" | \"file\"") + "}, found "
          + describe(node));
    }
    ElementType type = type(node.get("type"), path + ".type");
    long[] shape = shape(node.get("shape"), path + ".shape");
    long count = count(shape, path + ".shape");
    if (count * type.bytes() > MAX_BYTES) {
      throw new TensorFormatException(path + ".shape", Arrays.toString(shape) + " of " + type.spelling() + " takes "
          + count * type.bytes() + " bytes, more than the " + MAX_BYTES + " bytes (1 GiB) one tensor may take");
    }
    int sources = (node.has("data") ? 1 : 0) + (node.has("base64") ? 1 : 0) + (node.has("file") ? 1 : 0);
    if (files == null && node.has("file")) {
      throw new TensorFormatException(path + ".file", "tensors by file reference are not accepted here; give"
          + " \"data\" or \"base64\"");
    }
    if (sources != 1) {
      throw new TensorFormatException(path, "must have exactly one of " + sourcesAllowed + ", found " + sources);
    }
    ByteBuffer bytes;
    if (node.has("data")) {
      bytes = fromJson(node.get("data"), type, count, path + ".data");
    } else if (node.has("base64")) {
      bytes = fromBase64(node.get("base64"), type, count, path + ".base64");
    } else {
      String at = path + ".file";
      ByteBuffer little = files.read(node.get("file"), type, count, at).order(ByteOrder.LITTLE_ENDIAN);
      checkLength(little.remaining(), type, count, at);
      bytes = little.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
          ? little.order(ByteOrder.nativeOrder()) : toNative(little, type);
    }
    return Tensor.wrap(name, type, shape, bytes);
  }

  /** The elements' little-endian bytes. */
  public static byte[] littleEndianBytes(Tensor tensor) {
    ByteBuffer native0 = tensor.data();
    ByteBuffer little = ByteBuffer.allocate(native0.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    convert(native0, little, tensor.type());
    return little.array();
  }

  private static ElementType type(JsonNode node, String path) throws TensorFormatException {
    if (node == null || node.isNull()) {
      return ElementType.FLOAT32;
    }
    if (!node.isTextual()) {
      throw new TensorFormatException(path, "must be a string such as \"float32\", found " + describe(node));
    }
    try {
      return ElementType.parse(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new TensorFormatException(path, e.getMessage());
    }
  }

  private static long[] shape(JsonNode node, String path) throws TensorFormatException {
    if (node == null || !node.isArray()) {
      throw new TensorFormatException(path, "must be an array of dimensions such as [1, 4], found "
          + describe(node));
    }
    if (node.size() > MAX_DIMENSIONS) {
      throw new TensorFormatException(path, "has " + node.size() + " dimensions, at most " + MAX_DIMENSIONS
          + " allowed");
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
        throw new TensorFormatException(path + "[" + i + "]", "must be an integer 0 or more, found " + d);
      }
      shape[i] = d.longValue();
    }
    return shape;
  }

  private static long count(long[] shape, String path) throws TensorFormatException {
    long count = 1;
    for (long d : shape) {
      if (d != 0 && count > MAX_ELEMENTS / d) {
        throw new TensorFormatException(path, Arrays.toString(shape) + " holds more than " + MAX_ELEMENTS
            + " elements");
      }
      count *= d;
    }
    return count;
  }

  private static ByteBuffer fromJson(JsonNode data, ElementType type, long count, String path)
      throws TensorFormatException {
    if (!data.isArray()) {
      throw new TensorFormatException(path, "must be an array of numbers, found " + describe(data));
    }
    // Count before allocating: the buffer is as large as the values the message holds, never as the shape claims.
    long values = countValues(data, count);
    if (values > count) {
      throw new TensorFormatException(path, "holds more values than the shape's " + count);
    }
    if (values != count) {
      throw new TensorFormatException(path, "holds " + values + " values, the shape holds " + count);
    }
    ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * type.bytes())).order(ByteOrder.nativeOrder());
    put(data, type, out, path, new long[] {0});
    out.flip();
    return out;
  }

  /** The values (non-array leaves) of a flat or nested array, counted up to {@code limit + 1}. */
  private static long countValues(JsonNode array, long limit) {
    long n = 0;
    Iterator<JsonNode> values = array.elements();
    while (values.hasNext() && n <= limit) {
      JsonNode v = values.next();
      n += v.isArray() ? countValues(v, limit - n) : 1;
    }
    return n;
  }

  /** Writes the numbers of a flat or nested array, row-major; {@code out} has room for exactly them. */
  private static void put(JsonNode array, ElementType type, ByteBuffer out, String path, long[] written)
      throws TensorFormatException {
    Iterator<JsonNode> values = array.elements();
    while (values.hasNext()) {
      JsonNode v = values.next();
      if (v.isArray()) {
        put(v, type, out, path, written);
        continue;
      }
      String at = path + "[" + written[0] + "]";
      switch (type) {
        case FLOAT32 -> out.putFloat((float) number(v, at));
        case FLOAT64 -> out.putDouble(number(v, at));
        case FLOAT16 -> out.putShort(HalfFloats.floatToFloat16(float16(v, at)));
        case BFLOAT16 -> out.putShort(HalfFloats.floatToBfloat16(bfloat16(v, at)));
        case INT8 -> out.put((byte) integer(v, at, Byte.MIN_VALUE, Byte.MAX_VALUE));
        case UINT8 -> out.put((byte) integer(v, at, 0, 255));
        case INT32 -> out.putInt((int) integer(v, at, Integer.MIN_VALUE, Integer.MAX_VALUE));
        case INT64 -> out.putLong(integer(v, at, Long.MIN_VALUE, Long.MAX_VALUE));
        case BOOL -> out.put(bool(v, at));
        default -> throw new IllegalStateException("unknown element type " + type);
      }
      written[0]++;
    }
  }

  private static double number(JsonNode v, String path) throws TensorFormatException {
    if (!v.isNumber()) {
      throw new TensorFormatException(path, "must be a number, found " + describe(v));
    }
    return v.doubleValue();
  }

  /** A number float16 can hold: at most {@link HalfFloats#FLOAT16_MAX} in magnitude once rounded. */
  private static float float16(JsonNode v, String path) throws TensorFormatException {
    double d = number(v, path);
    if (Float.isInfinite(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16((float) d)))) {
      throw new TensorFormatException(path, "must be a float16 number, at most 65504 in magnitude, found " + v);
    }
    return (float) d;
  }

  /** A number bfloat16 can hold: finite once rounded (at most about 3.39e38 in magnitude). */
  private static float bfloat16(JsonNode v, String path) throws TensorFormatException {
    double d = number(v, path);
    if (Float.isInfinite(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16((float) d)))) {
      throw new TensorFormatException(path, "must be a bfloat16 number, at most 3.39e38 in magnitude, found " + v);
    }
    return (float) d;
  }

  private static long integer(JsonNode v, String path, long min, long max) throws TensorFormatException {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw new TensorFormatException(path, "must be an integer " + min + " to " + max + ", found " + v);
    }
    return v.longValue();
  }

  private static byte bool(JsonNode v, String path) throws TensorFormatException {
    if (v.isBoolean()) {
      return (byte) (v.booleanValue() ? 1 : 0);
    }
    if (v.isIntegralNumber() && (v.longValue() == 0 || v.longValue() == 1)) {
      return (byte) v.longValue();
    }
    throw new TensorFormatException(path, "must be true, false, 0 or 1, found " + v);
  }

  private static ByteBuffer fromBase64(JsonNode node, ElementType type, long count, String path)
      throws TensorFormatException {
    byte[] bytes;
    if (node.isBinary()) {
      // A document built in this process (never one parsed from a message): the bytes themselves.
      try {
        bytes = node.binaryValue();
      } catch (IOException e) {
        throw new TensorFormatException(path, "cannot be read: " + e);
      }
    } else if (!node.isTextual()) {
      throw new TensorFormatException(path, "must be a base64 string, found " + describe(node));
    } else {
      try {
        bytes = Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        throw new TensorFormatException(path, "is not base64 (" + e.getMessage() + ")");
      }
    }
    checkLength(bytes.length, type, count, path);
    return toNative(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), type);
  }

  /**
   * Checks that {@code length} bytes hold {@code count} elements of {@code type}.
   *
   * @throws TensorFormatException Naming {@code path}, both sizes and the element count.
   */
  public static void checkLength(long length, ElementType type, long count, String path)
      throws TensorFormatException {
    long expected = count * type.bytes();
    if (length != expected) {
      throw new TensorFormatException(path, "holds " + length + " bytes, the shape holds " + count + " "
          + type.spelling() + " elements (" + expected + " bytes)");
    }
  }

  /** Copies little-endian elements into a direct, native-order buffer. */
  private static ByteBuffer toNative(ByteBuffer little, ElementType type) {
    ByteBuffer out = ByteBuffer.allocateDirect(little.remaining()).order(ByteOrder.nativeOrder());
    convert(little, out, type);
    out.flip();
    return out;
  }

  /** Copies elements between buffers of possibly different byte order; advances {@code to}. */
  private static void convert(ByteBuffer from, ByteBuffer to, ElementType type) {
    if (from.order() == to.order() || type.bytes() == 1) {
      to.put(from.duplicate());
      return;
    }
    int start = to.position();
    switch (type.bytes()) {
      case 2 -> to.asShortBuffer().put(from.duplicate().order(from.order()).asShortBuffer());
      case 4 -> to.asIntBuffer().put(from.duplicate().order(from.order()).asIntBuffer());
      case 8 -> to.asLongBuffer().put(from.duplicate().order(from.order()).asLongBuffer());
      default -> throw new IllegalStateException("unexpected element size " + type.bytes());
    }
    to.position(start + from.remaining());
  }

  /** A node's kind and (shortened) text, for errors: {@code string "abc"}, {@code nothing}. */
  public static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(Locale.ROOT) + " "
        + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
  }
}
