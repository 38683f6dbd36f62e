package io.edgeai4j.inference.module;

import io.edgeai4j.inference.backend.Tensor;
import io.edgeai4j.inference.module.partition.ActivationChunks;
import io.edgeai4j.inference.module.partition.ActivationCodec;
import io.edgeai4j.inference.module.partition.ActivationFormatException;
import io.edgeai4j.inference.module.partition.Reassembler;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input {@value ActivationForwarder#OUTPUT}: chunks of a split model's forwarded tensors. Reassembles them by
 * (source, set) ({@link Reassembler}), decodes a complete set ({@link ActivationCodec}) and hands it to the
 * {@link RequestHandler} to run the part its {@code model} property names. A set that cannot complete (timeout,
 * overflow) or that does not decode (corrupt) is counted and answered on {@code results}: never dropped silently.
 * Thread-safe: the input thread offers chunks, the module's timer calls {@link #expire()}.
 */
final class ActivationsInput {
  /** How often incomplete sets are checked against the timeout. */
  static final Duration EXPIRY_CHECK = Duration.ofMillis(100);
  /** The error kind of a set dropped incomplete. */
  static final String INCOMPLETE = "incomplete_activations";

  private static final Logger LOG = LoggerFactory.getLogger(ActivationsInput.class);

  private final ServingResources serving;
  private final ActivationMetrics metrics;
  private final String moduleId;
  private final Reassembler reassembler;

  ActivationsInput(ServingResources serving, ActivationMetrics metrics, String moduleId, ActivationSettings settings) {
    this.serving = serving;
    this.metrics = metrics;
    this.moduleId = moduleId;
    this.reassembler = new Reassembler(settings.reassemblyTimeout(), settings.maxPendingSets());
  }

  /** Takes the twin's {@code activations} settings. */
  void configure(ActivationSettings settings) {
    reassembler.configure(settings.reassemblyTimeout(), settings.maxPendingSets());
  }

  /** Handles one chunk. Always completes the message: what cannot be used is answered on {@code results}. */
  MessageDisposition onActivations(EdgeMessage chunk) {
    RequestHandler handler = serving.handler();
    metrics.received(moduleId, chunk.bodyLength());
    Reassembler.Outcome outcome;
    try {
      outcome = reassembler.offer(chunk, System.nanoTime());
    } catch (Reassembler.BadChunkException e) {
      metrics.dropped(moduleId, Reassembler.Reason.CORRUPT);
      handler.answerLater(chunk, Failure.badRequest(e.getMessage()), ids(chunk));
      metrics.pending(moduleId, reassembler.pendingSets());
      return MessageDisposition.COMPLETE;
    }
    if (outcome instanceof Reassembler.Duplicate) {
      metrics.duplicate(moduleId);
    } else if (outcome instanceof Reassembler.Pending p) {
      answer(handler, p.overflowed());
    } else if (outcome instanceof Reassembler.Complete c) {
      answer(handler, c.overflowed());
      run(handler, c);
    }
    metrics.pending(moduleId, reassembler.pendingSets());
    return MessageDisposition.COMPLETE;
  }

  private void run(RequestHandler handler, Reassembler.Complete set) {
    String model = set.first().property(ActivationChunks.MODEL).orElse(null);
    long start = System.nanoTime();
    ActivationCodec.Decoded decoded;
    RequestOrigin origin;
    try {
      decoded = ActivationCodec.decode(set.payload());
      origin = RequestOrigin.parse(decoded.context());
    } catch (ActivationFormatException | BadRequestException e) {
      metrics.dropped(moduleId, Reassembler.Reason.CORRUPT);
      handler.answerLater(set.first(), Failure.badRequest("activations set " + set.key().set() + " from "
          + set.key().source() + ": " + e.getMessage()), ids(set.first()));
      return;
    }
    metrics.decoded(moduleId, System.nanoTime() - start);
    if (model == null || model.isEmpty()) {
      handler.answerLater(set.first(), Failure.badRequest("activations set " + set.key().set() + " from "
          + set.key().source() + " has no 'model' property: it must name the part that takes them"), ids(set.first()));
      return;
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Tensor t : decoded.tensors()) {
      tensors.put(t.name(), t);
    }
    handler.submitPart(model, tensors, origin, set.first());
  }

  /** Drops the sets incomplete for longer than the timeout, counting and answering each; the module's timer. */
  void expire() {
    List<Reassembler.Dropped> expired = reassembler.expire(System.nanoTime());
    if (!expired.isEmpty()) {
      answer(serving.handler(), expired);
      metrics.pending(moduleId, reassembler.pendingSets());
    }
  }

  /** Drops every incomplete set, counting and answering each: the module is stopping (its chunks were taken). */
  void stop() {
    List<Reassembler.Dropped> pending = reassembler.drain(System.nanoTime());
    if (!pending.isEmpty()) {
      answer(serving.handler(), pending);
      metrics.pending(moduleId, 0);
    }
  }

  private void answer(RequestHandler handler, List<Reassembler.Dropped> dropped) {
    for (Reassembler.Dropped d : dropped) {
      metrics.dropped(moduleId, d.reason());
      String why = switch (d.reason()) {
        case TIMEOUT -> "incomplete after " + d.age().toMillis() + " ms (activations.reassemblyTimeoutMillis)";
        case STOPPED -> "the module stopped before the set was complete (" + d.age().toMillis() + " ms)";
        default -> "dropped to make room: more than activations.maxPendingSets sets were incomplete; this was the"
            + " oldest (" + d.age().toMillis() + " ms)";
      };
      String message = "activations set " + d.key().set() + " from " + d.key().source() + ": received chunks "
          + list(d.received()) + " of " + d.count() + ", missing " + list(d.missing()) + "; " + why;
      LOG.warn("Module {}: {}", moduleId, message);
      handler.answerLater(d.first(), new Failure(INCOMPLETE, message), ids(d.first()));
    }
  }

  private static String list(java.util.SortedSet<Integer> indexes) {
    return indexes.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }

  private static InferMessage.RequestIds ids(EdgeMessage chunk) {
    return new InferMessage.RequestIds(chunk.correlationId().or(chunk::messageId).orElse(null),
        chunk.property(ActivationChunks.MODEL).orElse(null), null);
  }
}
