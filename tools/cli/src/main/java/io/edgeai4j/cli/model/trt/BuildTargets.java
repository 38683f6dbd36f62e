package io.edgeai4j.cli.model.trt;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.nativebindings.engine.BuildTarget;
import io.edgeai4j.nativebindings.tensorrt.TensorRt;
import io.edgeai4j.nativebindings.tensorrt.TensorRtAvailability;
import io.edgeai4j.nativebindings.tensorrt.TensorRtLibraries;

/**
 * What an engine is built for on this machine: the TensorRT the probe loaded and its first GPU. A test passes its
 * own, so the cache and the child process run without a GPU.
 */
@FunctionalInterface
public interface BuildTargets {
  /** This process's TensorRT and GPU 0 ({@link TensorRt#probe()}). */
  BuildTargets PROBE = () -> {
    TensorRtAvailability a = TensorRt.probe();
    if (!a.available()) {
      throw new ConvertException(ExitCodes.UNAVAILABLE, "TensorRT is not available here, so no engine can be"
          + " built (nothing was started):\n  - " + String.join("\n  - ", a.reasons())
          + "\n  (edge doctor shows the same; -D" + TensorRtLibraries.LIBRARY_PATH_PROPERTY
          + "=DIR names where the libraries are)");
    }
    return new BuildTarget(a.library().orElseThrow(), a.gpus().get(0));
  };

  /**
   * @throws ConvertException Exit 69 with every reason TensorRT or a GPU cannot be used here.
   */
  BuildTarget target() throws ConvertException;
}
