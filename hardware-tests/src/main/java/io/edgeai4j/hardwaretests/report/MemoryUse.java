package io.edgeai4j.hardwaretests.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory of this process at a named point of the run: resident set (from {@code /proc/self/status} VmRSS; -1
 * where that file does not exist) and the JVM heap in use. On Jetson, CPU and GPU share the RAM, so the resident set
 * includes the device buffers mapped into the process. Immutable.
 */
public record MemoryUse(String phase, long residentBytes, long heapUsedBytes) {

  /** The memory now, read from {@code status} (normally {@code /proc/self/status}). */
  public static MemoryUse now(String phase, Path status) {
    Runtime rt = Runtime.getRuntime();
    return new MemoryUse(phase, residentBytes(status), rt.totalMemory() - rt.freeMemory());
  }

  static long residentBytes(Path status) {
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          if (parts.length != 2 || !parts[1].equals("kB")) {
            throw new IllegalStateException(status + ": unexpected VmRSS line '" + line
                + "', expected 'VmRSS: <n> kB'");
          }
          return Long.parseLong(parts[0]) * 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
