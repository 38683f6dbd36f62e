package io.edgeai4j.inference.onnxruntime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The smallest ONNX model, {@code y = Identity(x)} on {@code float32[1]}, encoded by hand (the ONNX protobuf classes
 * are not a runtime dependency), so that the CUDA probe can open a session on the GPU. Stateless.
 */
final class ProbeModel {
  static final String INPUT = "x";
  static final String OUTPUT = "y";

  private ProbeModel() {}

  /** The model's bytes ({@code ModelProto}, IR version 8, opset 13). */
  static byte[] identity() {
    byte[] tensorType = concat(varintField(1, 1), bytesField(2, bytesField(1, varintField(1, 1))));
    byte[] type = bytesField(1, tensorType);
    byte[] node = concat(stringField(1, INPUT), stringField(2, OUTPUT), stringField(4, "Identity"));
    byte[] graph = concat(bytesField(1, node), stringField(2, "probe"),
        bytesField(11, concat(stringField(1, INPUT), bytesField(2, type))),
        bytesField(12, concat(stringField(1, OUTPUT), bytesField(2, type))));
    return concat(varintField(1, 8), bytesField(7, graph), bytesField(8, varintField(2, 13)));
  }

  private static byte[] varintField(int number, long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, (long) number << 3);
    writeVarint(out, value);
    return out.toByteArray();
  }

  private static byte[] stringField(int number, String value) {
    return bytesField(number, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytesField(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, ((long) number << 3) | 2);
    writeVarint(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
