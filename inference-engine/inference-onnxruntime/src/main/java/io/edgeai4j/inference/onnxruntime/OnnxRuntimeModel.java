package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.InputValidator;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A model in an ONNX Runtime session. {@link #run} validates the inputs in Java, hands their direct buffers to ONNX
 * Runtime without copying, lets ONNX Runtime write each output whose shape the inputs determine straight into a new
 * direct buffer (the returned tensor's, no copy), copies the others out of ONNX Runtime's memory, and closes every
 * native value it made before returning. Owns its session (closed by {@link #close()}, idempotent). {@link #run} is
 * thread-safe and may run concurrently; do not close while runs are in flight.
 */
final class OnnxRuntimeModel implements LoadedModel {
  private final String label;
  private final OrtEnvironment environment;
  private final OrtSessionHandle handle;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final InputValidator validator;
  private final OutputShapes outputShapes;
  private final boolean preallocateOutputs;
  private final Consumer<OnnxValue> tracer;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param label Names the model in errors (its file).
   * @param handle The session; owned from here on.
   * @param outputs The tensor outputs to return (others, e.g. maps, are not requested).
   * @param preallocateOutputs Whether outputs of known shape go into buffers allocated before the run.
   * @param tracer Told of every native value a run makes (for tests).
   */
  OnnxRuntimeModel(String label, OrtEnvironment environment, OrtSessionHandle handle, List<TensorSpec> inputs,
      List<TensorSpec> outputs, OutputShapes outputShapes, boolean preallocateOutputs, Consumer<OnnxValue> tracer) {
    this.label = label;
    this.environment = environment;
    this.handle = handle;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.validator = new InputValidator(inputs);
    this.outputShapes = outputShapes;
    this.preallocateOutputs = preallocateOutputs;
    this.tracer = tracer;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  /** The file the session was made from: the model, or its optimised copy in the cache. */
  Path source() {
    return handle.source();
  }

  /** Whether an output is written into a buffer allocated before the run. */
  boolean preallocates(String output) {
    return preallocateOutputs && outputShapes.known(output);
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> given) throws InferenceException {
    if (closed.get()) {
      throw new IllegalStateException("model " + label + " is closed");
    }
    String problems = validator.check(given);
    if (problems != null) {
      throw new InferenceException("model " + label + ": " + problems, true, null);
    }
    try (RunScope scope = new RunScope(tracer)) {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      for (TensorSpec spec : inputs) {
        Tensor tensor = given.get(spec.name());
        feeds.put(spec.name(), scope.own(OnnxTensor.createTensor(environment, tensor.data(), tensor.shape(),
            OrtTypes.javaType(tensor.type()))));
      }
      Map<String, OnnxTensor> pinned = new HashMap<>();
      Set<String> requested = new HashSet<>();
      Map<String, Tensor> results = new LinkedHashMap<>();
      for (TensorSpec spec : outputs) {
        long[] shape = preallocateOutputs ? outputShapes.shape(spec.name(), given) : null;
        if (shape != null) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(Tensor.elementCount(shape) * spec.type().bytes()))
              .order(ByteOrder.nativeOrder());
          pinned.put(spec.name(), scope.own(OnnxTensor.createTensor(environment, buffer, shape,
              OrtTypes.javaType(spec.type()))));
          results.put(spec.name(), Tensor.wrap(spec.name(), spec.type(), shape, buffer));
        } else {
          requested.add(spec.name());
        }
      }
      // ONNX Runtime wants each output either requested (it allocates) or pinned (we did), not both.
      OrtSession.Result result = scope.own(handle.session().run(feeds, requested, pinned));
      for (TensorSpec spec : outputs) {
        if (!results.containsKey(spec.name())) {
          OnnxTensor value = (OnnxTensor) result.get(spec.name()).orElseThrow();
          results.put(spec.name(), Tensor.wrap(spec.name(), spec.type(), value.getInfo().getShape(),
              value.getByteBuffer()));
        }
      }
      return results;
    } catch (OrtException e) {
      boolean badInput = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT;
      throw new InferenceException("model " + label + ": the run failed: " + e.getMessage(), badInput, e);
    } catch (RuntimeException e) {
      throw new InferenceException("model " + label + ": the run failed: " + e, false, e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      handle.close();
    }
  }

  @Override
  public String toString() {
    return "OnnxRuntimeModel[" + label + ", inputs " + inputs + ", outputs " + outputs + "]";
  }
}
