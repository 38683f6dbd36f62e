package io.edgeai4j.hardwaretests.gpu;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.perf.InferenceTrace;
import io.edgeai4j.nativebindings.tensorrt.ExecutionContext;
import io.edgeai4j.nativebindings.tensorrt.HostTensor;
import io.edgeai4j.nativebindings.tensorrt.TensorDataType;
import io.edgeai4j.nativebindings.tensorrt.TensorRtEngine;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a deserialized engine: over the evaluation rows in batches, and timed queries as trtexec does. Owns its
 * context: {@link #close()} frees the context's stream, buffers and events. Not thread-safe.
 */
final class EngineRuns implements AutoCloseable {
  private final BundledModel model;
  private final ExecutionContext context;
  private final String input;
  private final String output;

  /**
   * @throws IllegalStateException The engine is not one float32 input and one float32 output (what this suite feeds
   *     and reads), naming what it has.
   */
  EngineRuns(BundledModel model, TensorRtEngine engine, ExecutionContext context) {
    this.model = model;
    this.context = context;
    if (engine.inputs().size() != 1 || engine.outputs().size() != 1
        || engine.inputs().get(0).type() != TensorDataType.FLOAT32
        || engine.outputs().get(0).type() != TensorDataType.FLOAT32) {
      throw new IllegalStateException(model.label + ": the engine's tensors are " + engine.tensors()
          + "; expected one FLOAT32 input and one FLOAT32 output");
    }
    this.input = engine.inputs().get(0).name();
    this.output = engine.outputs().get(0).name();
  }

  /** The output for every row, row-major, in batches of {@code batch}. */
  float[] run(BundledModel.Rows rows, int batch) throws NativeBindingException {
    float[] out = new float[rows.rows() * model.classes];
    for (int first = 0; first < rows.rows(); first += batch) {
      int n = Math.min(batch, rows.rows() - first);
      context.input(input, model.shape(n)).asFloatBuffer().put(rows.slice(first, n));
      context.execute();
      HostTensor y = context.output(output);
      FloatBuffer values = y.data().asFloatBuffer();
      if (values.remaining() != n * model.classes) {
        throw new IllegalStateException(model.label + ": output '" + output + "' of shape "
            + java.util.Arrays.toString(y.shape()) + " for " + n + " rows, expected " + model.classes + " per row");
      }
      values.get(out, first * model.classes, n * model.classes);
    }
    return out;
  }

  /**
   * Timed queries of {@code batch} rows: queries until the warm-up has passed, then {@code queries} more, one trace
   * each (the first rows as input, set once, as trtexec does).
   */
  List<InferenceTrace> timed(BundledModel.Rows rows, int batch, Duration warmup, int queries)
      throws NativeBindingException {
    context.input(input, model.shape(batch)).asFloatBuffer().put(rows.slice(0, batch));
    double warmupMs = warmup.toNanos() / 1e6;
    List<InferenceTrace> traces = new ArrayList<>();
    context.startTiming();
    int timed = 0;
    while (timed < queries) {
      InferenceTrace t = context.executeTimed();
      traces.add(t);
      if (t.computeStartMs() >= warmupMs) {
        timed++;
      }
    }
    return traces;
  }

  @Override
  public void close() throws NativeBindingException {
    context.close();
  }
}
