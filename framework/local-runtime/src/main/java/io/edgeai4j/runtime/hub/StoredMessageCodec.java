package io.edgeai4j.runtime.hub;

import io.edgeai4j.module.EdgeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The record of one {@link QueuedMessage} in the hub's store. Version 1, big-endian:
 * <pre>
 * byte   version (1)
 * long   sequence
 * int    priority
 * long   enqueuedAt epoch second, int nanos
 * byte   1 when it expires, then long epoch second, int nanos
 * string sourcePath
 * int    n, then n × (string name, string value or null)   application properties, in order
 * int    n, then n × (string name, string value)           system properties, in order
 * int    body length, then the body
 * </pre>
 * where a string is an int byte length (-1 for null) and its UTF-8 bytes. Stateless.
 */
final class StoredMessageCodec {
  static final int VERSION = 1;

  private StoredMessageCodec() {}

  static byte[] encode(QueuedMessage queued) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(queued.size() + 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(queued.sequence());
      out.writeInt(queued.priority());
      writeInstant(out, queued.enqueuedAt());
      out.writeBoolean(queued.expiresAt() != null);
      if (queued.expiresAt() != null) {
        writeInstant(out, queued.expiresAt());
      }
      writeString(out, queued.sourcePath());
      EdgeMessage message = queued.message();
      writeMap(out, message.properties());
      writeMap(out, message.systemProperties());
      byte[] body = message.body();
      out.writeInt(body.length);
      out.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes one record.
   *
   * @throws IOException If it is not a version-1 record of this codec, naming what was found.
   */
  static QueuedMessage decode(byte[] record) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
    try {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("a stored message of format version " + version + ", expected version " + VERSION
            + " (written by another edgeai4j version?)");
      }
      long sequence = in.readLong();
      int priority = in.readInt();
      Instant enqueuedAt = readInstant(in);
      Instant expiresAt = in.readBoolean() ? readInstant(in) : null;
      String sourcePath = readString(in);
      EdgeMessage.Builder message = EdgeMessage.builder();
      int properties = readCount(in, "application properties");
      for (int i = 0; i < properties; i++) {
        message.property(readString(in), readString(in));
      }
      int system = readCount(in, "system properties");
      for (int i = 0; i < system; i++) {
        String name = readString(in);
        String value = readString(in);
        if (value == null) {
          throw new IOException("system property '" + name + "' has no value");
        }
        message.systemProperty(name, value);
      }
      int length = readCount(in, "body bytes");
      byte[] body = new byte[length];
      in.readFully(body);
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes follow the body, expected none");
      }
      return new QueuedMessage(message.body(body).build(), sourcePath, priority, enqueuedAt, expiresAt, sequence);
    } catch (EOFException e) {
      throw new IOException("a stored message of " + record.length + " bytes ends early", e);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IOException("a stored message holds an invalid value: " + e.getMessage(), e);
    }
  }

  private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.available()) {
      throw new IOException("a string of " + length + " bytes where " + in.available() + " are left");
    }
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static int readCount(DataInputStream in, String what) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("a count of " + n + " " + what + " where " + in.available() + " bytes are left");
    }
    return n;
  }
}
