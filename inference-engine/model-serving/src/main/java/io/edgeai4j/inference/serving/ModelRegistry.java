package io.edgeai4j.inference.serving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a {@link ModelServer} serves, by name, and the versions retired from them that are still draining; the
 * descriptors and statuses read from both. Owned by the server. Thread-safe: both are concurrent collections that
 * requests and status queries read without a lock; models are added, removed and retired only under the server's
 * control lock, and a retired version leaves {@code draining} by itself once it has stopped.
 */
final class ModelRegistry {
  private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
  private final Set<ServedVersion> draining = ConcurrentHashMap.newKeySet();

  /** The model served under that name, or null. */
  ServedModel get(String name) {
    return models.get(name);
  }

  boolean serves(String name) {
    return models.containsKey(name);
  }

  /** A snapshot of the names served. */
  List<String> names() {
    return List.copyOf(models.keySet());
  }

  /** The model served under that name, added (serving nothing yet) if there is none. */
  ServedModel getOrAdd(String name) {
    return models.computeIfAbsent(name, ServedModel::new);
  }

  /** Removes a model (its versions are not retired by this), returning it, or null if it was not served. */
  ServedModel remove(String name) {
    return models.remove(name);
  }

  /** The versions retired and not stopped yet, a live read-only view. */
  Set<ServedVersion> draining() {
    return Collections.unmodifiableSet(draining);
  }

  /** Retires a version of a model, keeping its descriptor and tracking it until it has stopped. */
  void retire(ServedModel served, ServedVersion version) {
    served.retired.put(version.version(), version.descriptor());
    draining.add(version);
    version.retire();
    version.stopped().thenRun(() -> draining.remove(version));
  }

  /** As {@link ModelServer#descriptor(String, long)}. */
  Optional<ModelDescriptor> descriptor(String model, long version) {
    ServedModel served = models.get(model);
    if (served != null) {
      for (ServedVersion v : served.serving) {
        if (v.version() == version) {
          return Optional.of(v.descriptor());
        }
      }
    }
    for (ServedVersion v : draining) {
      if (v.model().equals(model) && v.version() == version) {
        return Optional.of(v.descriptor());
      }
    }
    return served == null ? Optional.empty() : Optional.ofNullable(served.retired.get(version));
  }

  /** A snapshot of every served model, by name. */
  List<ModelStatus> statuses() {
    return models.values().stream().sorted(Comparator.comparing(m -> m.name)).map(this::status).toList();
  }

  /** A snapshot of one model: its serving, draining, loading and failed versions. */
  ModelStatus status(ServedModel served) {
    List<ServedVersion> serving = served.serving;
    List<VersionStatus> versions = new ArrayList<>();
    serving.forEach(v -> versions.add(v.status()));
    for (ServedVersion v : draining) {
      if (!serving.contains(v) && v.model().equals(served.name)) {
        versions.add(v.status());
      }
    }
    versions.addAll(served.others.values());
    versions.sort(Comparator.comparingLong(VersionStatus::version));
    ModelDescriptor descriptor = serving.isEmpty() ? null : serving.get(serving.size() - 1).descriptor();
    return new ModelStatus(served.name, versions, descriptor);
  }
}
