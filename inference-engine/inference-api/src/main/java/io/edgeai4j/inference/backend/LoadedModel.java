package io.edgeai4j.inference.backend;

import java.util.List;
import java.util.Map;

/**
 * A model ready to run. {@link #run} is thread-safe and may be called concurrently; {@link #close()} is
 * idempotent, and the caller must not close a model while runs are in flight (the model manager drains
 * them first). Owned by whoever loaded it.
 */
public interface LoadedModel extends AutoCloseable {
  /** The model's inputs, as the model declares them. */
  List<TensorSpec> inputs();

  /** The model's outputs, as the model declares them. */
  List<TensorSpec> outputs();

  /**
   * Runs the model once.
   *
   * @param inputs One tensor per input, by name; batched inputs carry the batch in their first dimension.
   * @return One tensor per output, by name; owned by the caller (plain Java memory, nothing to close).
   * @throws InferenceException If an input is missing, unknown or of the wrong type or shape (naming the tensor,
   *     the shape found and the shape expected), or the run fails.
   */
  Map<String, Tensor> run(Map<String, Tensor> inputs) throws InferenceException;

  @Override
  void close();
}
