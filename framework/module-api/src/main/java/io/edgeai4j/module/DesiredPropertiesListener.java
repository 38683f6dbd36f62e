package io.edgeai4j.module;

/**
 * Receives a module's configuration each time its desired properties change.
 *
 * @param <T> The immutable configuration type the desired properties are bound to.
 */
@FunctionalInterface
public interface DesiredPropertiesListener<T> {
  /**
   * Applies a new configuration. Called once at start with the full twin, then after every patch.
   *
   * @param configuration The configuration bound from the whole desired document.
   * @param version The desired document's {@code $version}.
   * @throws Exception If the module refuses the configuration; the host keeps the previous one and
   *     reports the error in the reported property {@code configurationStatus}.
   */
  void apply(T configuration, long version) throws Exception;
}
