package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;

/**
 * Turns the JSON form of a tensor into a {@link Tensor} and back. A tensor is
 * {@code {"type": "float32", "shape": [1, 4], ...}} with exactly one of: {@code "data"} (JSON numbers, flat or
 * nested, row-major), {@code "base64"} (the little-endian bytes of the elements) or {@code "file"} (a file under
 * the shared directory holding those bytes; read, never deleted). Immutable; thread-safe.
 */
final class TensorCodec {
  /** The most elements one tensor may hold (256 Mi). */
  static final long MAX_ELEMENTS = 1L << 28;
  /** The most bytes one tensor's elements may take (1 GiB): 256 Mi float32, 128 Mi float64 or int64. */
  static final long MAX_BYTES = 1L << 30;
  /** The most dimensions a shape may have. */
  static final int MAX_DIMENSIONS = 8;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Optional<Path> sharedDirectory;

  /**
   * Creates a codec.
   *
   * @param sharedDirectory The only directory {@code "file"} references may point into, or empty to refuse them.
   */
  TensorCodec(Optional<Path> sharedDirectory) {
    this.sharedDirectory = sharedDirectory;
  }

  /**
   * Decodes one tensor.
   *
   * @param name The tensor's name.
   * @param node Its JSON form.
   * @param path The node's dotted path, for errors (e.g. {@code inputs.x}).
   * @throws BadRequestException Naming the path at fault, what was found and what was expected; also for any
   *     unexpected failure while decoding, so that every malformed tensor is answered.
   */
  Tensor decode(String name, JsonNode node, String path) throws BadRequestException {
    try {
      return decodeChecked(name, node, path);
    } catch (RuntimeException e) {
      throw new BadRequestException(path, "cannot be decoded: " + e);
    }
  }

  private Tensor decodeChecked(String name, JsonNode node, String path) throws BadRequestException {
    if (node == null || !node.isObject()) {
      throw new BadRequestException(path, "must be an object {\"type\", \"shape\", \"data\" | \"base64\" | \"file\"},"
          + " found " + kind(node));
    }
    ElementType type = type(node.get("type"), path + ".type");
    long[] shape = shape(node.get("shape"), path + ".shape");
    long count = count(shape, path + ".shape");
    if (count * type.bytes() > MAX_BYTES) {
      throw new BadRequestException(path + ".shape", Arrays.toString(shape) + " of " + type.spelling() + " takes "
          + count * type.bytes() + " bytes, more than the " + MAX_BYTES + " bytes (1 GiB) one tensor may take");
    }
    int sources = (node.has("data") ? 1 : 0) + (node.has("base64") ? 1 : 0) + (node.has("file") ? 1 : 0);
    if (sources != 1) {
      throw new BadRequestException(path, "must have exactly one of \"data\", \"base64\" or \"file\", found "
          + sources);
    }
    ByteBuffer bytes;
    if (node.has("data")) {
      bytes = fromJson(node.get("data"), type, count, path + ".data");
    } else if (node.has("base64")) {
      bytes = fromBase64(node.get("base64"), type, count, path + ".base64");
    } else {
      bytes = fromFile(node.get("file"), type, count, path + ".file");
    }
    return Tensor.wrap(name, type, shape, bytes);
  }

  /**
   * Writes a tensor as {@code {"type", "shape", "data" | "base64"}}; {@code base64} is a binary node of the
   * little-endian bytes, which Jackson writes as base64 text.
   */
  static ObjectNode encode(Tensor tensor, TensorEncoding encoding) {
    ObjectNode node = NODES.objectNode();
    node.put("type", tensor.type().spelling());
    ArrayNode shape = node.putArray("shape");
    for (long d : tensor.shape()) {
      shape.add(d);
    }
    if (encoding == TensorEncoding.BASE64) {
      // A binary node: Jackson writes its base64 (standard alphabet, padded, no line breaks, as
      // Base64.getEncoder()) straight into the output, with no base64 array or String in between.
      node.put("base64", littleEndianBytes(tensor));
    } else {
      ArrayNode data = node.putArray("data");
      ByteBuffer b = tensor.data();
      int n = (int) tensor.elementCount();
      for (int i = 0; i < n; i++) {
        switch (tensor.type()) {
          case FLOAT32 -> data.add(b.getFloat());
          case FLOAT64 -> data.add(b.getDouble());
          case INT8 -> data.add(b.get());
          case UINT8 -> data.add(Byte.toUnsignedInt(b.get()));
          case INT32 -> data.add(b.getInt());
          case INT64 -> data.add(b.getLong());
          case BOOL -> data.add(b.get() != 0);
          default -> throw new IllegalStateException("unknown element type " + tensor.type());
        }
      }
    }
    return node;
  }

  /** The elements' little-endian bytes. */
  static byte[] littleEndianBytes(Tensor tensor) {
    ByteBuffer native0 = tensor.data();
    ByteBuffer little = ByteBuffer.allocate(native0.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    convert(native0, little, tensor.type());
    return little.array();
  }

  private static ElementType type(JsonNode node, String path) throws BadRequestException {
    if (node == null || node.isNull()) {
      return ElementType.FLOAT32;
    }
    if (!node.isTextual()) {
      throw new BadRequestException(path, "must be a string such as \"float32\", found " + kind(node));
    }
    try {
      return ElementType.parse(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(path, e.getMessage());
    }
  }

  private static long[] shape(JsonNode node, String path) throws BadRequestException {
    if (node == null || !node.isArray()) {
      throw new BadRequestException(path, "must be an array of dimensions such as [1, 4], found " + kind(node));
    }
    if (node.size() > MAX_DIMENSIONS) {
      throw new BadRequestException(path, "has " + node.size() + " dimensions, at most " + MAX_DIMENSIONS
          + " allowed");
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
        throw new BadRequestException(path + "[" + i + "]", "must be an integer 0 or more, found " + d);
      }
      shape[i] = d.longValue();
    }
    return shape;
  }

  private static long count(long[] shape, String path) throws BadRequestException {
    long count = 1;
    for (long d : shape) {
      if (d != 0 && count > MAX_ELEMENTS / d) {
        throw new BadRequestException(path, Arrays.toString(shape) + " holds more than " + MAX_ELEMENTS
            + " elements");
      }
      count *= d;
    }
    return count;
  }

  private static ByteBuffer fromJson(JsonNode data, ElementType type, long count, String path)
      throws BadRequestException {
    if (!data.isArray()) {
      throw new BadRequestException(path, "must be an array of numbers, found " + kind(data));
    }
    // Count before allocating: the buffer is as large as the values the message holds, never as the shape claims.
    long values = countValues(data, count);
    if (values > count) {
      throw new BadRequestException(path, "holds more values than the shape's " + count);
    }
    if (values != count) {
      throw new BadRequestException(path, "holds " + values + " values, the shape holds " + count);
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
      throws BadRequestException {
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

  private static double number(JsonNode v, String path) throws BadRequestException {
    if (!v.isNumber()) {
      throw new BadRequestException(path, "must be a number, found " + kind(v));
    }
    return v.doubleValue();
  }

  private static long integer(JsonNode v, String path, long min, long max) throws BadRequestException {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw new BadRequestException(path, "must be an integer " + min + " to " + max + ", found " + v);
    }
    return v.longValue();
  }

  private static byte bool(JsonNode v, String path) throws BadRequestException {
    if (v.isBoolean()) {
      return (byte) (v.booleanValue() ? 1 : 0);
    }
    if (v.isIntegralNumber() && (v.longValue() == 0 || v.longValue() == 1)) {
      return (byte) v.longValue();
    }
    throw new BadRequestException(path, "must be true, false, 0 or 1, found " + v);
  }

  private static ByteBuffer fromBase64(JsonNode node, ElementType type, long count, String path)
      throws BadRequestException {
    byte[] bytes;
    if (node.isBinary()) {
      // A document built in this process by encode (never one parsed from a message): the bytes themselves.
      try {
        bytes = node.binaryValue();
      } catch (IOException e) {
        throw new BadRequestException(path, "cannot be read: " + e);
      }
    } else if (!node.isTextual()) {
      throw new BadRequestException(path, "must be a base64 string, found " + kind(node));
    } else {
      try {
        bytes = Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(path, "is not base64 (" + e.getMessage() + ")");
      }
    }
    checkLength(bytes.length, type, count, path);
    return toNative(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), type);
  }

  private ByteBuffer fromFile(JsonNode node, ElementType type, long count, String path) throws BadRequestException {
    if (!node.isTextual() || node.textValue().isEmpty()) {
      throw new BadRequestException(path, "must be the path of a file, found " + kind(node));
    }
    if (sharedDirectory.isEmpty()) {
      throw new BadRequestException(path, "tensors by reference are refused: no shared directory is configured"
          + " (set sharedDirectory in the twin or environment variable " + InferenceConfig.SHARED_DIRECTORY_ENV
          + ")");
    }
    Path file;
    Path shared;
    try {
      shared = sharedDirectory.get().toRealPath();
      file = shared.resolve(node.textValue()).toRealPath();
    } catch (NoSuchFileException e) {
      throw new BadRequestException(path, "'" + node.textValue() + "' does not exist (shared directory "
          + sharedDirectory.get() + ")");
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException(path, "cannot resolve '" + node.textValue() + "' in shared directory "
          + sharedDirectory.get() + ": " + e);
    }
    if (!file.startsWith(shared) || file.equals(shared)) {
      throw new BadRequestException(path, "'" + node.textValue() + "' is outside the shared directory " + shared
          + "; only files under it can be read");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      checkLength(size, type, count, path);
      // size equals the shape's bytes, at most MAX_BYTES: it fits an int.
      ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new BadRequestException(path, "'" + file + "' ended after " + buffer.position() + " of " + size
              + " bytes");
        }
      }
      buffer.flip();
      return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? buffer.order(ByteOrder.nativeOrder())
          : toNative(buffer, type);
    } catch (IOException e) {
      throw new BadRequestException(path, "cannot read '" + file + "': " + e);
    }
  }

  private static void checkLength(long length, ElementType type, long count, String path)
      throws BadRequestException {
    long expected = count * type.bytes();
    if (length != expected) {
      throw new BadRequestException(path, "holds " + length + " bytes, the shape holds " + count + " "
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
      case 4 -> to.asIntBuffer().put(from.duplicate().order(from.order()).asIntBuffer());
      case 8 -> to.asLongBuffer().put(from.duplicate().order(from.order()).asLongBuffer());
      default -> throw new IllegalStateException("unexpected element size " + type.bytes());
    }
    to.position(start + from.remaining());
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
  }
}
