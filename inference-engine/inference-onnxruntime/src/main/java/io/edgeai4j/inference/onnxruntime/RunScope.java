package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the native values of one run (input tensors, pre-allocated outputs, the result) and closes them all, last
 * first, whatever happened. One per run, used by one thread.
 */
final class RunScope implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunScope.class);

  private final List<AutoCloseable> owned = new ArrayList<>(8);
  private final Consumer<OnnxValue> tracer;

  /** @param tracer Told of every native value the run makes (tests count them); a no-op in production. */
  RunScope(Consumer<OnnxValue> tracer) {
    this.tracer = tracer;
  }

  /** Takes ownership of a value; returns it. */
  <T extends OnnxValue> T own(T value) {
    owned.add(value);
    tracer.accept(value);
    return value;
  }

  /** Takes ownership of a result (which closes the outputs ONNX Runtime allocated); returns it. */
  OrtSession.Result own(OrtSession.Result result) {
    owned.add(result);
    for (Map.Entry<String, OnnxValue> output : result) {
      tracer.accept(output.getValue());
    }
    return result;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing a native value of a run failed", e);
      }
    }
    owned.clear();
  }
}
