package io.edgeai4j.inference.backend;

/**
 * A kind of inference backend (TensorRT, ONNX Runtime with a GPU execution provider, ONNX Runtime CPU),
 * found with {@link java.util.ServiceLoader}: a backend jar lists its provider in
 * {@code META-INF/services/io.edgeai4j.inference.backend.InferenceBackendProvider}. The provider class must
 * load without its native library; {@link #probe()} is where it looks for it. Thread-safe.
 */
public interface InferenceBackendProvider {
  /** The name configuration uses, e.g. {@code onnxruntime-cpu}, {@code onnxruntime-cuda}, {@code tensorrt}. */
  String name();

  /** Higher is preferred when configuration names no backend: tensorrt 300, onnxruntime-cuda 200, onnxruntime-cpu 100. */
  int priority();

  /** Looks for what the backend needs on this machine. Never throws; cheap enough to call at start-up. */
  BackendProbe probe();

  /**
   * Opens the backend.
   *
   * @param options Threads, optimisation, caches.
   * @return The backend; the caller owns it and closes it.
   * @throws BackendException If it cannot open although {@link #probe()} said it could.
   */
  InferenceBackend open(BackendOptions options) throws BackendException;
}
