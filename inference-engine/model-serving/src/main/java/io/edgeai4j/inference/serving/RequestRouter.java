package io.edgeai4j.inference.serving;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Admits the requests of a {@link ModelServer}: picks the version each goes to (the one it names, or the newest
 * READY), offers it there, routes it again when that version had begun retiring, and fails it with its
 * {@link FailureKind} (counted with no version) when no version will take it. Owned by the server. Thread-safe and
 * never waits for a load: it takes none of the server's locks, reading only the registry's published snapshots and
 * the server's volatile closed flag (each version guards its own state).
 */
final class RequestRouter {
  private final ModelRegistry models;
  private final ServingMetrics metrics;
  private final String moduleLabel;
  /** Whether the server is closed (its flag, set before it unloads the models). */
  private final BooleanSupplier closed;

  RequestRouter(ModelRegistry models, ServingMetrics metrics, String moduleLabel, BooleanSupplier closed) {
    this.models = models;
    this.metrics = metrics;
    this.moduleLabel = moduleLabel;
    this.closed = closed;
  }

  /** The request to offer to a version: a fixed one, or one built from the version's descriptor. */
  @FunctionalInterface
  private interface RequestFor {
    InferenceRequest on(ServedVersion version) throws InferenceFailure;
  }

  /** As {@link ModelServer#infer(InferenceRequest)}: never throws. */
  CompletableFuture<InferenceResult> infer(InferenceRequest request) {
    return infer(request.model(), request.version(), v -> request);
  }

  /** As {@link ModelServer#infer(String, Long, String, RequestInputs)}: never throws. */
  CompletableFuture<InferenceResult> infer(String model, Long version, String correlationId, RequestInputs inputs) {
    return infer(model, version, v -> new InferenceRequest(model, version, inputs.build(v.descriptor()),
        correlationId));
  }

  private CompletableFuture<InferenceResult> infer(String model, Long version, RequestFor requestFor) {
    long accepted = System.nanoTime();
    CompletableFuture<InferenceResult> result = new CompletableFuture<>();
    try {
      route(model, version, requestFor, accepted, result);
    } catch (InferenceFailure f) {
      metrics.failedUnrouted(moduleLabel, modelLabel(model), f.kind());
      result.completeExceptionally(f);
    } catch (RuntimeException e) {
      metrics.failedUnrouted(moduleLabel, modelLabel(model), FailureKind.MODEL_FAILED);
      result.completeExceptionally(new InferenceFailure(FailureKind.MODEL_FAILED, "request to model '"
          + model + "' failed: " + e, e));
    }
    return result;
  }

  /** The {@code model} label of a request that failed before a version was chosen: empty unless it is served. */
  private String modelLabel(String requested) {
    return models.serves(requested) ? requested : "";
  }

  private void route(String name, Long wanted, RequestFor requestFor, long accepted,
      CompletableFuture<InferenceResult> result) throws InferenceFailure {
    // A version refuses a request only once it is retiring, after the lists were republished without it;
    // reading them again finds its successor (or that it is gone).
    for (int attempt = 0; attempt < 1000; attempt++) {
      if (closed.getAsBoolean()) {
        throw new InferenceFailure(FailureKind.SHUTTING_DOWN, "the model server is shutting down", null);
      }
      ServedModel model = models.get(name);
      if (model == null) {
        if (closed.getAsBoolean()) {
          // close() sets closed before it unloads: a request that passed the check above while close() began
          // finds its model gone and is told the truth.
          throw new InferenceFailure(FailureKind.SHUTTING_DOWN, "the model server is shutting down", null);
        }
        throw new InferenceFailure(FailureKind.UNKNOWN_MODEL, "no model named '" + name
            + "' is served; served models: " + new TreeSet<>(models.names()), null);
      }
      ServedVersion version = pick(model, wanted);
      // Built for the version it is offered to: a request is prepared and run by the same version.
      InferenceRequest request = requestFor.on(version);
      if (version.offer(request, accepted, result)) {
        return;
      }
    }
    throw new InferenceFailure(FailureKind.NOT_READY, "model '" + name
        + "': no version would accept the request (versions kept changing)", null);
  }

  /** As {@link ModelServer#routedDescriptor}. */
  Optional<ModelDescriptor> routedDescriptor(String model, Long version) {
    ServedModel served = models.get(model);
    if (served == null || closed.getAsBoolean()) {
      return Optional.empty();
    }
    try {
      return Optional.of(pick(served, version).descriptor());
    } catch (InferenceFailure notRoutable) {
      return Optional.empty();
    }
  }

  private static ServedVersion pick(ServedModel model, Long wanted) throws InferenceFailure {
    List<ServedVersion> serving = model.serving;
    if (wanted == null) {
      if (serving.isEmpty()) {
        throw new InferenceFailure(FailureKind.NOT_READY, "model '" + model.name + "' has no READY version; versions: "
            + model.others.values(), null);
      }
      return serving.get(serving.size() - 1);
    }
    for (ServedVersion v : serving) {
      if (v.version() == wanted) {
        return v;
      }
    }
    VersionStatus other = model.others.get(wanted);
    if (other != null) {
      throw new InferenceFailure(FailureKind.NOT_READY, "model '" + model.name + "' version " + wanted + " is "
          + other.state() + ": " + other.detail(), null);
    }
    throw new InferenceFailure(FailureKind.UNKNOWN_VERSION, "model '" + model.name + "' has no version " + wanted
        + " served; served versions: " + serving.stream().map(ServedVersion::version).toList(), null);
  }
}
