package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session with the options it was made with (ONNX Runtime wants the options open while the session is).
 * {@link #close()} closes the session, then the options, once; later calls do nothing. Thread-safe.
 */
final class OrtSessionHandle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessionHandle.class);

  private final OrtSession session;
  private final SessionOptions options;
  private final Path source;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param source The file the session was made from (the model, or its optimised copy).
   * @param onClose Run once, after closing.
   */
  OrtSessionHandle(OrtSession session, SessionOptions options, Path source, Runnable onClose) {
    this.session = session;
    this.options = options;
    this.source = source;
    this.onClose = onClose;
  }

  OrtSession session() {
    return session;
  }

  Path source() {
    return source;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warn("closing the ONNX Runtime session of {} failed", source, e);
    } finally {
      options.close();
      onClose.run();
    }
  }
}
