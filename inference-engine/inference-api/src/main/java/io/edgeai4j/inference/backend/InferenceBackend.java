package io.edgeai4j.inference.backend;

import java.nio.file.Path;

/**
 * An opened backend: loads models. Owned by whoever opened it; {@link #close()} is idempotent and must be
 * called after every model it loaded is closed. Thread-safe.
 */
public interface InferenceBackend extends AutoCloseable {
  /** The provider's name. */
  String name();

  /**
   * Loads a model file (e.g. {@code model.onnx}).
   *
   * @param modelFile The file.
   * @param inputs The inputs {@code model.json} declares, checked against the model's own; empty to take the
   *     model's as they are.
   * @return The model; the caller owns it and closes it.
   * @throws BackendException If the file is missing or not a model the backend can run, or its inputs differ from
   *     those declared; the message names the file and what differs.
   */
  LoadedModel load(Path modelFile, java.util.List<TensorSpec> inputs) throws BackendException;

  @Override
  void close();
}
