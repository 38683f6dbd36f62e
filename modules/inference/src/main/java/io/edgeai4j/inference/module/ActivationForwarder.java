package io.edgeai4j.inference.module;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.module.partition.ActivationChunks;
import io.edgeai4j.inference.module.partition.ActivationCodec;
import io.edgeai4j.inference.serving.InferenceResult;
import io.edgeai4j.inference.serving.ModelDescriptor;
import io.edgeai4j.module.EdgeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns the result of a part that is not the last into the messages for output {@value #OUTPUT}: its output tensors
 * (in {@code model.json} order) encoded with the part's {@code activationEncoding}, with the request's origin, then
 * split into chunks ({@link ActivationChunks}) addressed to the next part. Counts encode time and what the encoding
 * could not carry. Stateless apart from the metrics; thread-safe.
 */
final class ActivationForwarder {
  /** The output (and the input) of forwarded activations. */
  static final String OUTPUT = "activations";

  private final ActivationMetrics metrics;
  private final String moduleId;

  ActivationForwarder(ActivationMetrics metrics, String moduleId) {
    this.metrics = metrics;
    this.moduleId = moduleId;
  }

  /**
   * The chunk messages of a result.
   *
   * @param properties The request's application properties (they travel along).
   * @throws IllegalArgumentException When the activations cannot be sent (too many chunks, properties too large),
   *     saying why.
   */
  List<EdgeMessage> chunks(InferenceResult result, ModelDescriptor.Partition partition, ModelDescriptor descriptor,
      RequestOrigin origin, Map<String, String> properties, String correlationId) {
    List<Tensor> outputs = new ArrayList<>();
    Map<String, Tensor> remaining = new LinkedHashMap<>(result.outputs());
    for (var spec : descriptor.outputs()) {
      Tensor t = remaining.remove(spec.name());
      if (t != null) {
        outputs.add(t);
      }
    }
    outputs.addAll(remaining.values());
    long start = System.nanoTime();
    ActivationCodec.Encoded encoded = ActivationCodec.encode(outputs, partition.activationEncoding(), origin.toJson());
    metrics.encoded(moduleId, partition.activationEncoding(), System.nanoTime() - start, encoded.losses());
    return ActivationChunks.split(encoded.payload(), partition.next(), UUID.randomUUID().toString(), properties,
        correlationId);
  }

  /** Counts a chunk sent. */
  void sent(EdgeMessage chunk) {
    metrics.sent(moduleId, chunk.bodyLength());
  }
}
