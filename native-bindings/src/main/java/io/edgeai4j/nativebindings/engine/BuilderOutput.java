package io.edgeai4j.nativebindings.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a builder child's stdout (the JSON-lines protocol, forwarded to a {@link BuildProgress} in order, on one
 * thread) and keeps the last {@value #TAIL_LINES} lines of its stderr for error messages. Thread-safe.
 */
final class BuilderOutput {
  static final int TAIL_LINES = 20;
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessEngineBuilder.class);

  private final Thread stdout;
  private final Thread stderr;
  private final Deque<String> tail = new ArrayDeque<>();
  private volatile String lastPhase = "none";
  private volatile JsonNode result;

  BuilderOutput(Process process, BuildProgress progress) {
    stdout = reader("engine-builder-stdout-" + process.pid(), process.getInputStream(), line -> protocol(line,
        progress));
    stderr = reader("engine-builder-stderr-" + process.pid(), process.getErrorStream(), this::stderrLine);
  }

  private static Thread reader(String name, InputStream in, Consumer<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.accept(line);
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.debug("{}: {}", name, e.toString());
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void protocol(String line, BuildProgress progress) {
    JsonNode n;
    try {
      n = BuildRequest.JSON.readTree(line);
    } catch (IOException e) {
      n = null;
    }
    String type = n != null && n.isObject() ? n.path("type").asText() : "";
    switch (type) {
      case "progress" -> {
        lastPhase = n.path("phase").asText();
        progress.update(lastPhase, n.path("step").asInt(), n.path("steps").asInt());
      }
      case "log" -> {
        String level = n.path("level").asText();
        String message = n.path("message").asText();
        if (level.equals("ERROR") || level.equals("WARN")) {
          LOG.warn("engine builder {}: {}", level, message);
        } else {
          LOG.info("engine builder {}: {}", level, message);
        }
      }
      case "done", "error" -> result = n;
      default -> stderrLine("stdout: " + line);  // native code printing to fd 1: kept, not parsed
    }
  }

  private synchronized void stderrLine(String line) {
    LOG.debug("engine builder: {}", line);
    if (tail.size() == TAIL_LINES) {
      tail.removeFirst();
    }
    tail.addLast(line);
  }

  String lastPhase() {
    return lastPhase;
  }

  /** {@code ; stderr (last N lines): ...}, or empty. */
  synchronized String stderrTail() {
    return tail.isEmpty() ? "" : "; stderr (last " + tail.size() + " lines):\n" + String.join("\n", tail);
  }

  void join(Duration grace) throws InterruptedException {
    stdout.join(grace.toMillis());
    stderr.join(grace.toMillis());
  }

  /** The build's outcome from its result line and exit code. */
  BuiltEngine result(int exitCode) throws NativeBindingException {
    JsonNode r = result;
    if (r != null && r.path("type").asText().equals("done") && exitCode == 0) {
      return new BuiltEngine(Path.of(r.path("plan").asText()), TensorRtVersion.parse(r.path("tensorrt").asText()),
          Duration.ofNanos((long) (r.path("seconds").asDouble() * 1e9)));
    }
    if (r != null && r.path("type").asText().equals("error")) {
      JsonNode code = r.path("code");
      throw new NativeBindingException(r.path("operation").asText("engine build"),
          code.isNumber() ? code.asInt() : null, "in the engine builder process: " + r.path("message").asText()
          + stderrTail(), null);
    }
    throw new NativeBindingException("engine build", null, "the engine builder process exited with code "
        + exitCode + signal(exitCode) + " without a result (last progress phase: " + lastPhase + ")"
        + stderrTail(), null);
  }

  private static String signal(int exitCode) {
    return switch (exitCode) {
      case 134 -> " (SIGABRT)";
      case 137 -> " (SIGKILL: killed, e.g. by the out-of-memory killer)";
      case 139 -> " (SIGSEGV: a crash in native code)";
      default -> exitCode > 128 && exitCode < 160 ? " (signal " + (exitCode - 128) + ")" : "";
    };
  }
}
