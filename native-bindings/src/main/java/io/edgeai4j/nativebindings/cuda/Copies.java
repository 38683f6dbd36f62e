package io.edgeai4j.nativebindings.cuda;

/** Checks a copy's size against both buffers before it reaches CUDA. */
final class Copies {
  private Copies() { }

  static void check(long bytes, long fromBytes, long toBytes, String from, String to) {
    if (bytes < 0 || bytes > fromBytes || bytes > toBytes) {
      throw new IllegalArgumentException("copy of " + bytes + " bytes from " + from + " to " + to
          + ": expected 0 to " + Math.min(fromBytes, toBytes) + " bytes (" + from + " buffer " + fromBytes
          + " bytes, " + to + " buffer " + toBytes + " bytes)");
    }
  }
}
