package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Locale;

/**
 * Writes every {@code $upstream} message as one JSON line to standard output and to a JSON Lines file.
 * Each line is {@code {"enqueuedTime", "source", "properties", "systemProperties", "body"}}; a JSON body
 * is embedded as JSON, other text as a string, anything else as base64 with {@code "bodyEncoding":
 * "base64"}. Thread-safe; the owner closes it.
 */
public final class UpstreamWriter implements UpstreamTarget, Closeable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final PrintStream console;
  private final BufferedWriter file;
  private final Path path;

  /**
   * Opens the writer, appending to the file.
   *
   * @param path The JSON Lines file; its parent directories are created.
   * @param console Where to echo each line, or null for nowhere.
   * @throws IOException If the file cannot be opened.
   */
  public UpstreamWriter(Path path, PrintStream console) throws IOException {
    this.path = path;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    this.console = console;
  }

  /** Returns the JSON Lines file. */
  public Path path() {
    return path;
  }

  /** Writes the message as one line; always takes it, or throws. */
  @Override
  public synchronized boolean offer(EdgeMessage message, String sourcePath) {
    String line = toJsonLine(message, sourcePath);
    try {
      file.write(line);
      file.write('\n');
      file.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write upstream message to " + path, e);
    }
    if (console != null) {
      console.println(line);
      console.flush();
    }
    return true;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  static String toJsonLine(EdgeMessage message, String sourcePath) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("enqueuedTime", message.systemProperty(SystemProperties.ENQUEUED_TIME).orElse(null));
    line.put("source", sourcePath);
    ObjectNode properties = line.putObject("properties");
    message.properties().forEach(properties::put);
    ObjectNode system = line.putObject("systemProperties");
    message.systemProperties().forEach(system::put);
    boolean json = message.contentType()
        .map(t -> t.toLowerCase(Locale.ROOT).startsWith(SystemProperties.APPLICATION_JSON)).orElse(false);
    if (json) {
      try {
        JsonNode body = MAPPER.readTree(message.bodyAsString());
        line.set("body", body);
        return line.toString();
      } catch (JsonProcessingException | IllegalStateException e) {
        // not JSON after all: fall through to text or base64
      }
    }
    byte[] body = message.body();
    if (isUtf8Text(body)) {
      line.put("body", new String(body, StandardCharsets.UTF_8));
    } else {
      line.put("body", Base64.getEncoder().encodeToString(body));
      line.put("bodyEncoding", "base64");
    }
    return line.toString();
  }

  private static boolean isUtf8Text(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
    for (byte b : bytes) {
      if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }
}
