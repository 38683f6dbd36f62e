package io.edgeai4j.inference.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds backend providers and picks one. Stateless; thread-safe. */
public final class Backends {
  /** A provider with what its probe found. */
  public record Found(InferenceBackendProvider provider, BackendProbe probe) {
    @Override
    public String toString() {
      return provider.name() + " (priority " + provider.priority() + "): "
          + (probe.available() ? "available, " : "unavailable, ") + probe.detail();
    }
  }

  private Backends() {}

  /** Every provider on the class path, probed, best priority first. */
  public static List<Found> probeAll() {
    return probe(ServiceLoader.load(InferenceBackendProvider.class, Backends.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList());
  }

  /** The given providers, probed, best priority first. */
  public static List<Found> probe(List<InferenceBackendProvider> providers) {
    List<Found> found = new ArrayList<>();
    for (InferenceBackendProvider p : providers) {
      BackendProbe probe;
      try {
        probe = p.probe();
      } catch (RuntimeException | LinkageError e) {
        probe = BackendProbe.unavailable("its probe failed: " + e);
      }
      found.add(new Found(p, probe));
    }
    found.sort(Comparator.comparingInt((Found f) -> f.provider().priority()).reversed());
    return found;
  }

  /**
   * Picks the backend: the one named, or else the available one of highest priority.
   *
   * @param name The backend configuration names, or null for the best available.
   * @param found What {@link #probeAll()} found.
   * @throws BackendException If the named one is unavailable or unknown, or none is available; the message lists
   *     every backend found and its probe result.
   */
  public static Found select(String name, List<Found> found) throws BackendException {
    if (name != null) {
      for (Found f : found) {
        if (f.provider().name().equals(name)) {
          if (f.probe().available()) {
            return f;
          }
          throw new BackendException("backend '" + name + "' is unavailable: " + f.probe().detail()
              + "; backends found: " + describe(found));
        }
      }
      throw new BackendException("no backend named '" + name + "'; backends found: " + describe(found));
    }
    for (Found f : found) {
      if (f.probe().available()) {
        return f;
      }
    }
    throw new BackendException("no inference backend is available; backends found: " + describe(found));
  }

  /** One line per backend, for errors and {@code edge doctor}. */
  public static String describe(List<Found> found) {
    if (found.isEmpty()) {
      return "none (no jar lists an InferenceBackendProvider in META-INF/services)";
    }
    return found.stream().map(Found::toString).collect(Collectors.joining("; "));
  }
}
