package io.edgeai4j.inference.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;

/**
 * Whether ONNX Runtime's CUDA and TensorRT execution providers work here: looked for once per process, on first use,
 * by loading each provider and opening a session on the GPU (not by trusting {@code getAvailableProviders()}, which
 * lists what the build contains, not what this machine can run). Thread-safe.
 */
final class GpuSupport {
  /**
   * What the look found.
   *
   * @param cuda Whether the CUDA execution provider opened a session on device 0.
   * @param tensorRt Whether the TensorRT execution provider loaded too (then it goes first).
   * @param detail What was found, or why the CUDA provider cannot run, in words a user can act on.
   */
  record Found(boolean cuda, boolean tensorRt, String detail) {}

  /** The GPU the backend uses. */
  static final int DEVICE = 0;

  private static final class Holder {
    static final Found FOUND = look();
  }

  private GpuSupport() {}

  /** Looks on the first call; never throws. */
  static Found get() {
    return Holder.FOUND;
  }

  @FunctionalInterface
  private interface Step {
    void apply(SessionOptions options) throws OrtException;
  }

  private static Found look() {
    OrtNatives.Loaded ort = OrtNatives.get();
    if (!ort.ok()) {
      return new Found(false, false, ort.failure());
    }
    String found = "ONNX Runtime " + ort.version() + " on " + OrtNatives.platform() + ", providers " + ort.providerNames();
    if (!ort.providers().contains(OrtProvider.CUDA)) {
      return new Found(false, false, "the ONNX Runtime on the class path is the CPU build (" + found + "); the CUDA"
          + " provider needs com.microsoft.onnxruntime:onnxruntime_gpu (linux-x64 or win-x64) in its place, CUDA 12"
          + " and cuDNN 9");
    }
    String cudaFailure = tryOptions(o -> o.addCUDA(DEVICE));
    if (cudaFailure != null) {
      return new Found(false, false, "the ONNX Runtime GPU build is on the class path (" + found + ") but its CUDA"
          + " provider did not load: " + cudaFailure + "; it needs CUDA 12 and cuDNN 9 on the library path");
    }
    String deviceFailure = tryOptions(o -> {
      o.addCUDA(DEVICE);
      try (OrtSession session = ort.environment().createSession(ProbeModel.identity(), o)) {
        session.getNumInputs();
      }
    });
    if (deviceFailure != null) {
      return new Found(false, false, "the ONNX Runtime GPU build and CUDA libraries are here (" + found + ") but a"
          + " session on GPU " + DEVICE + " did not open: " + deviceFailure);
    }
    String trtFailure = ort.providers().contains(OrtProvider.TENSOR_RT) ? tryOptions(o -> o.addTensorrt(DEVICE))
        : "not in this build";
    return new Found(true, trtFailure == null, found + "; CUDA provider on GPU " + DEVICE + "; TensorRT provider "
        + (trtFailure == null ? "loaded, used first" : "not used (" + trtFailure + ")"));
  }

  /** Runs a step on fresh session options; null when it worked, else why not. */
  private static String tryOptions(Step step) {
    try (SessionOptions options = new SessionOptions()) {
      step.apply(options);
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return OrtNatives.describe(t);
    }
  }
}
