package io.edgeai4j.nativebindings.tensorrt;

import java.util.List;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.LoggerFactory;

/**
 * The one TensorRT logger of the process ({@code ILogger} subclassed in Java: the presets virtualize {@code log}),
 * passed to every builder, parser and runtime. Routes to slf4j logger {@code io.edgeai4j.nativebindings.tensorrt
 * .TensorRtLogger} by severity ({@link TensorRtLogSink}) and keeps the recent errors for exception messages. Created
 * on first use, never freed (TensorRT may call it until the process ends). Thread-safe, as TensorRT requires.
 */
public final class TensorRtLogger extends ILogger {
  private static final class Holder {
    static final TensorRtLogger INSTANCE = new TensorRtLogger();
  }

  private final TensorRtLogSink sink = new TensorRtLogSink(LoggerFactory.getLogger(TensorRtLogger.class));

  private TensorRtLogger() {
    super();
  }

  /** The process's logger; TensorRT must be loaded ({@link TensorRt#load()}). */
  public static TensorRtLogger instance() {
    return Holder.INSTANCE;
  }

  @Override
  public void log(Severity severity, String msg) {
    sink.log(severity.value, msg);
  }

  /**
   * The errors TensorRT logged since the last call, oldest first. The logger is process-wide: when several threads
   * call TensorRT at once, an error may be reported with another thread's failure.
   */
  public List<String> takeErrors() {
    return sink.takeErrors();
  }

  /** {@code ; TensorRT said: a | b}, or empty: for exception messages. */
  String errorSuffix() {
    List<String> e = takeErrors();
    return e.isEmpty() ? "" : "; TensorRT said: " + String.join(" | ", e);
  }
}
