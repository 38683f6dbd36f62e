package io.edgeai4j.inference.tensorrt;

import io.edgeai4j.inference.backend.InferenceException;
import io.edgeai4j.inference.backend.LoadedModel;
import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.backend.TensorSpec;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.ExecutionContext;
import io.edgeai4j.nativebindings.tensorrt.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model on TensorRT: its engine (never freed, see {@link EngineBudget}) and a pool of execution contexts, one per
 * {@code batching.instances}. {@link #run} is thread-safe: each run checks its inputs in Java, then waits for a free
 * context, copies the inputs into its buffers, executes, and copies the outputs into plain Java tensors before
 * giving the context back. {@link #close()} is idempotent and frees the contexts' streams and buffers; callers must
 * not close while runs are in flight (the model server drains them first).
 */
final class TensorRtModel implements LoadedModel {
  private static final Logger LOG = LoggerFactory.getLogger(TensorRtModel.class);

  private final String label;
  private final EngineSignature signature;
  private final ContextPool<ExecutionContext> contexts;
  private final AtomicBoolean closed = new AtomicBoolean();

  TensorRtModel(String label, EngineSignature signature, List<ExecutionContext> contexts) {
    this.label = label;
    this.signature = signature;
    this.contexts = new ContextPool<>(contexts);
  }

  @Override
  public List<TensorSpec> inputs() {
    return signature.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return signature.outputs();
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> given) throws InferenceException {
    if (closed.get()) {
      throw new IllegalStateException("model " + label + " is closed");
    }
    String problems = signature.check(given);
    if (problems != null) {
      throw new InferenceException("model " + label + ": " + problems, true, null);
    }
    ExecutionContext context;
    try {
      context = contexts.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException("model " + label + ": interrupted while waiting for a free execution context",
          false, e);
    }
    try {
      for (TensorSpec spec : signature.inputs()) {
        Tensor tensor = given.get(spec.name());
        context.input(spec.name(), tensor.shape()).put(tensor.data());
      }
      context.execute();
      Map<String, Tensor> results = new LinkedHashMap<>();
      for (TensorSpec spec : signature.outputs()) {
        HostTensor out = context.output(spec.name());
        ByteBuffer copy = ByteBuffer.allocateDirect(out.data().remaining()).order(ByteOrder.nativeOrder());
        copy.put(out.data()).flip();
        results.put(spec.name(), Tensor.wrap(spec.name(), spec.type(), out.shape(), copy));
      }
      return results;
    } catch (NativeBindingException e) {
      throw new InferenceException("model " + label + ": the run failed: " + e.getMessage(), false, e);
    } catch (RuntimeException e) {
      throw new InferenceException("model " + label + ": the run failed: " + e, false, e);
    } finally {
      contexts.release(context);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (ExecutionContext c : contexts.all()) {
        try {
          c.close();
        } catch (NativeBindingException e) {
          LOG.warn("model {}: closing an execution context failed: {}", label, e.getMessage());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "TensorRtModel[" + label + ", inputs " + inputs() + ", outputs " + outputs() + ", "
        + contexts.all().size() + " context(s)]";
  }
}
