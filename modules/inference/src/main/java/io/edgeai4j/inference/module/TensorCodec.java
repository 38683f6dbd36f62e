package io.edgeai4j.inference.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.inference.backend.ElementType;
import io.edgeai4j.inference.backend.HalfFloats;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.serving.TensorFormatException;
import io.edgeai4j.inference.serving.TensorJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Turns the JSON form of a tensor into a {@link Tensor} and back. A tensor is
 * {@code {"type": "float32", "shape": [1, 4], ...}} with exactly one of: {@code "data"} (JSON numbers, flat or
 * nested, row-major), {@code "base64"} (the little-endian bytes of the elements) or {@code "file"} (a file under
 * the shared directory holding those bytes; read, never deleted). {@code data} and {@code base64} are decoded by the
 * serving layer's {@link TensorJson} (the one decoder, shared with {@code golden.json}); this class adds the
 * {@code file} reference and the module's error type. Immutable; thread-safe.
 */
final class TensorCodec {
  /** The most elements one tensor may hold (256 Mi). */
  static final long MAX_ELEMENTS = TensorJson.MAX_ELEMENTS;
  /** The most bytes one tensor's elements may take (1 GiB): 256 Mi float32, 128 Mi float64 or int64. */
  static final long MAX_BYTES = TensorJson.MAX_BYTES;
  /** The most dimensions a shape may have. */
  static final int MAX_DIMENSIONS = TensorJson.MAX_DIMENSIONS;

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
      return TensorJson.decode(name, node, path, this::fromFile);
    } catch (TensorFormatException e) {
      throw new BadRequestException(e.path(), e.problem());
    }
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
          case FLOAT16 -> data.add(HalfFloats.float16ToFloat(b.getShort()));
          case BFLOAT16 -> data.add(HalfFloats.bfloat16ToFloat(b.getShort()));
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
    return TensorJson.littleEndianBytes(tensor);
  }

  /** Reads a {@code "file"} reference: its little-endian bytes, once its size matches the shape's. */
  private ByteBuffer fromFile(JsonNode node, ElementType type, long count, String path)
      throws TensorFormatException {
    if (!node.isTextual() || node.textValue().isEmpty()) {
      throw new TensorFormatException(path, "must be the path of a file, found " + TensorJson.describe(node));
    }
    if (sharedDirectory.isEmpty()) {
      throw new TensorFormatException(path, "tensors by reference are refused: no shared directory is configured"
          + " (set sharedDirectory in the twin or environment variable " + InferenceConfig.SHARED_DIRECTORY_ENV
          + ")");
    }
    Path file;
    Path shared;
    try {
      shared = sharedDirectory.get().toRealPath();
      file = shared.resolve(node.textValue()).toRealPath();
    } catch (NoSuchFileException e) {
      throw new TensorFormatException(path, "'" + node.textValue() + "' does not exist (shared directory "
          + sharedDirectory.get() + ")");
    } catch (IOException | RuntimeException e) {
      throw new TensorFormatException(path, "cannot resolve '" + node.textValue() + "' in shared directory "
          + sharedDirectory.get() + ": " + e);
    }
    if (!file.startsWith(shared) || file.equals(shared)) {
      throw new TensorFormatException(path, "'" + node.textValue() + "' is outside the shared directory " + shared
          + "; only files under it can be read");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      TensorJson.checkLength(size, type, count, path);
      // size equals the shape's bytes, at most MAX_BYTES: it fits an int.
      ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new TensorFormatException(path, "'" + file + "' ended after " + buffer.position() + " of " + size
              + " bytes");
        }
      }
      return buffer.flip();
    } catch (IOException e) {
      throw new TensorFormatException(path, "cannot read '" + file + "': " + e);
    }
  }
}
