package io.edgeai4j.cli.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands each complete line written to it to a consumer: the local runtime echoes
 * every {@code $upstream} message as one JSON line, and the demo reads them this way. Thread-safe.
 */
final class UpstreamLines extends OutputStream {
  private final Consumer<String> consumer;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  UpstreamLines(Consumer<String> consumer) {
    this.consumer = consumer;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!text.isBlank()) {
        consumer.accept(text);
      }
    } else {
      line.write(b);
    }
  }
}
