package io.edgeai4j.inference.serving;

import io.edgeai4j.inference.backend.Tensor;
import java.util.Map;

/**
 * Builds the inputs of a request from the {@code model.json} of the version that will run it, for
 * {@link ModelServer#infer(String, Long, String, RequestInputs)}: a request whose tensors depend on the version (a
 * {@code featureInput}'s fields, mean and scale) is then prepared and run by the same version, even during a hot swap.
 */
@FunctionalInterface
public interface RequestInputs {
  /**
   * The request's inputs for the version described by {@code descriptor}. Called on the thread that calls
   * {@code infer}, once per version the request is offered to (again when that version began retiring meanwhile).
   *
   * @param descriptor The {@code model.json} of the version the request is routed to.
   * @return One tensor per model input, by name.
   * @throws InferenceFailure When the request cannot be built for that version (it fails with that failure).
   */
  Map<String, Tensor> build(ModelDescriptor descriptor) throws InferenceFailure;
}
