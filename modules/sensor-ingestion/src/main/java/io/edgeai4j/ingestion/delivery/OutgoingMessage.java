package io.edgeai4j.ingestion.delivery;

import io.edgeai4j.module.EdgeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * A message waiting to be sent on a named output, and its form in the spill buffer:
 * {@code [version][output][n props][name, value]*[n system props][name, value]*[body length][body]}.
 *
 * @param output The output name.
 * @param message The message.
 */
public record OutgoingMessage(String output, EdgeMessage message) {
  private static final byte VERSION = 1;

  /** Validates. */
  public OutgoingMessage {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(message, "message");
  }

  /** The spill-buffer form. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.bodyLength() + 256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(output);
      writeMap(out, message.properties());
      writeMap(out, message.systemProperties());
      out.writeInt(message.bodyLength());
      out.write(message.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the spill-buffer form.
   *
   * @throws IOException If the record is not one {@link #encode()} wrote, naming what was found.
   */
  public static OutgoingMessage decode(byte[] record) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IOException("spilled message has format version " + version + ", expected " + VERSION);
      }
      String output = in.readUTF();
      EdgeMessage.Builder builder = EdgeMessage.builder();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        builder.property(in.readUTF(), in.readUTF());
      }
      n = in.readInt();
      for (int i = 0; i < n; i++) {
        builder.systemProperty(in.readUTF(), in.readUTF());
      }
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return new OutgoingMessage(output, builder.body(body).build());
    }
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    int n = 0;
    for (String v : map.values()) {
      if (v != null) {
        n++;
      }
    }
    out.writeInt(n);
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getValue() != null) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    }
  }
}
