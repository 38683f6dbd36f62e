package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.source.SensorSourceProvider;
import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The source plug-ins on the class path, by {@link SensorSourceProvider#type()}. Immutable; thread-safe.
 */
public final class SourceRegistry {
  private final Map<String, SensorSourceProvider> byType;

  private SourceRegistry(Collection<SensorSourceProvider> providers) {
    Map<String, SensorSourceProvider> map = new TreeMap<>();
    for (SensorSourceProvider p : providers) {
      SensorSourceProvider other = map.putIfAbsent(p.type(), p);
      if (other != null) {
        throw new IllegalStateException("two source plug-ins claim type '" + p.type() + "': "
            + other.getClass().getName() + " and " + p.getClass().getName() + "; remove one from the class path");
      }
    }
    this.byType = Map.copyOf(map);
  }

  /** The providers listed in {@code META-INF/services} on the class path of this class. */
  public static SourceRegistry fromClassPath() {
    return of(ServiceLoader.load(SensorSourceProvider.class, SourceRegistry.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList());
  }

  /** A registry of the given providers. */
  public static SourceRegistry of(Collection<SensorSourceProvider> providers) {
    return new SourceRegistry(providers);
  }

  /** The provider of a type, or null. */
  public SensorSourceProvider provider(String type) {
    return byType.get(type);
  }

  /** The known types with their descriptions, for errors and {@code edge doctor}. */
  public String describe() {
    if (byType.isEmpty()) {
      return "no source plug-in on the class path";
    }
    return new TreeMap<>(byType).values().stream().map(p -> p.type() + " (" + p.description() + ")")
        .collect(Collectors.joining(", "));
  }
}
