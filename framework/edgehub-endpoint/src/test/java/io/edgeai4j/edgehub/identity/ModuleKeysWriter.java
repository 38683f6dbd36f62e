package io.edgeai4j.edgehub.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A second process for {@link ModuleKeysTest}: waits for a start file, then opens the key file {@code count} times,
 * each time with one more module {@code <prefix>-<i>}.
 */
final class ModuleKeysWriter {
  private ModuleKeysWriter() {
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Path start = Path.of(args[1]);
    String prefix = args[2];
    int count = Integer.parseInt(args[3]);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(start) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    for (int i = 0; i < count; i++) {
      ModuleKeys.open(file, "edge-1", List.of(prefix + "-" + i));
    }
  }
}
