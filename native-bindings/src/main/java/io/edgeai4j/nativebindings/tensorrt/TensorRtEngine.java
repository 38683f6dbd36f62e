package io.edgeai4j.nativebindings.tensorrt;

import io.edgeai4j.nativebindings.NativeBindingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;

/**
 * A deserialized engine ({@code ICudaEngine}) and its IO tensors. Never freed (see {@link TensorRtRuntime}); its
 * execution contexts must not outlive it, which holds trivially. Thread-safe: {@link #newContext} may be called from
 * any thread; each context is then used by one worker.
 */
public final class TensorRtEngine {
  private final ICudaEngine engine;
  private final List<TensorInfo> tensors;

  private TensorRtEngine(ICudaEngine engine, List<TensorInfo> tensors) {
    this.engine = engine;
    this.tensors = List.copyOf(tensors);
  }

  static TensorRtEngine inspect(ICudaEngine engine) throws NativeBindingException {
    int profiles = engine.getNbOptimizationProfiles();
    List<TensorInfo> tensors = new ArrayList<>();
    for (int i = 0; i < engine.getNbIOTensors(); i++) {
      String name = engine.getIOTensorName(i);
      boolean input = engine.getTensorIOMode(name) == TensorIOMode.kINPUT;
      String typeName = engine.getTensorDataType(name).name();
      TensorDataType type = TensorDataType.ofTensorRt(typeName).orElseThrow(() -> new NativeBindingException(
          "ICudaEngine.getTensorDataType(" + name + ")", "type " + typeName + " is not supported, expected one of "
          + Arrays.stream(TensorDataType.values()).map(TensorDataType::tensorRtName).toList()));
      long[] shape = Shapes.fromDims(engine.getTensorShape(name));
      long[] min = shape;
      long[] opt = shape;
      long[] max = shape;
      if (input && profiles > 0) {
        min = Shapes.fromDims(engine.getProfileShape(name, 0, OptProfileSelector.kMIN));
        opt = Shapes.fromDims(engine.getProfileShape(name, 0, OptProfileSelector.kOPT));
        max = Shapes.fromDims(engine.getProfileShape(name, 0, OptProfileSelector.kMAX));
      }
      tensors.add(new TensorInfo(name, input, type, shape, min, opt, max));
    }
    return new TensorRtEngine(engine, tensors);
  }

  /** The IO tensors, in the engine's order. */
  public List<TensorInfo> tensors() {
    return tensors;
  }

  /** The inputs. */
  public List<TensorInfo> inputs() {
    return tensors.stream().filter(TensorInfo::input).toList();
  }

  /** The outputs. */
  public List<TensorInfo> outputs() {
    return tensors.stream().filter(t -> !t.input()).toList();
  }

  /** The tensor named {@code name}. */
  public Optional<TensorInfo> tensor(String name) {
    return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * A new execution context with its own stream and buffers for the largest shapes; create one per worker, once
   * (its native part is never freed; see {@link TensorRtRuntime}).
   *
   * @param mappedHostMemory Use mapped pinned host memory instead of device buffers and copies: for integrated
   *     GPUs (Jetson), where CPU and GPU share memory.
   * @throws NativeBindingException The failing TensorRT or CUDA call.
   */
  public synchronized ExecutionContext newContext(boolean mappedHostMemory) throws NativeBindingException {
    return ExecutionContext.create(this, engine, mappedHostMemory);
  }
}
