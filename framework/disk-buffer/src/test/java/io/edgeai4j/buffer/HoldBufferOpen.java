package io.edgeai4j.buffer;

import java.io.IOException;
import java.nio.file.Path;

/** Run in a second JVM by {@link DiskBufferLifecycleTest}: opens a buffer, says so, and holds it until stdin ends. */
public final class HoldBufferOpen {
  private HoldBufferOpen() {}

  public static void main(String[] args) throws IOException {
    try (DiskBuffer buffer = DiskBuffer.open(DiskBufferOptions.builder(Path.of(args[0])).build())) {
      buffer.append(new byte[] {1, 2, 3});
      System.out.println("open");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the buffer open until the test closes our stdin
      }
    }
  }
}
