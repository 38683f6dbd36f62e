package io.edgeai4j.nativebindings.tensorrt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Where TensorRT's messages go: slf4j at the level of their severity, and the most recent errors kept for exception
 * messages. TensorRT's logger is process-wide and called from any thread, so this is thread-safe.
 *
 * <table>
 *   <caption>Severity to slf4j level</caption>
 *   <tr><th>TensorRT</th><th>slf4j</th></tr>
 *   <tr><td>kINTERNAL_ERROR (0), kERROR (1)</td><td>ERROR (kept as a recent error)</td></tr>
 *   <tr><td>kWARNING (2)</td><td>WARN</td></tr>
 *   <tr><td>kINFO (3)</td><td>DEBUG (TensorRT's INFO is a build log)</td></tr>
 *   <tr><td>kVERBOSE (4)</td><td>TRACE</td></tr>
 * </table>
 */
final class TensorRtLogSink {
  /** How many errors are kept; older ones are dropped (and were logged). */
  static final int RECENT_ERRORS = 16;

  private final Logger log;
  private final Deque<String> errors = new ArrayDeque<>();

  TensorRtLogSink(Logger log) {
    this.log = log;
  }

  static Level level(int severity) {
    return switch (severity) {
      case 0, 1 -> Level.ERROR;
      case 2 -> Level.WARN;
      case 3 -> Level.DEBUG;
      case 4 -> Level.TRACE;
      default -> Level.WARN;
    };
  }

  void log(int severity, String message) {
    Level level = level(severity);
    String text = severity == 0 ? "internal error: " + message : message;
    log.atLevel(level).log("TensorRT: {}", text);
    if (level == Level.ERROR) {
      synchronized (errors) {
        if (errors.size() == RECENT_ERRORS) {
          errors.removeFirst();
        }
        errors.addLast(text);
      }
    }
  }

  /** The errors logged since the last call, oldest first, and forgets them. */
  List<String> takeErrors() {
    synchronized (errors) {
      List<String> out = List.copyOf(errors);
      errors.clear();
      return out;
    }
  }
}
