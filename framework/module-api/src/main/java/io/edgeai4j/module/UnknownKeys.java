package io.edgeai4j.module;

/**
 * What binding the desired properties does with a key the configuration type does not know; chosen per
 * module with {@link ModuleContext#bindDesiredProperties(Class, UnknownKeys, DesiredPropertiesListener)}.
 */
public enum UnknownKeys {
  /**
   * The default: the key is ignored, the rest of the document applies, and the reported property
   * {@code configurationStatus.warnings} names the key by its JSON pointer (e.g.
   * {@code /sensors/vibration/windw}) with the nearest known key when one is close. Fleets roll out
   * configuration and images at different times, so a deployment may add a key before a module's image
   * knows it; an old module keeps taking configuration.
   */
  WARN,
  /**
   * The document is refused, as any document that does not bind: the previous configuration stays and
   * {@code configurationStatus.error} names the key. For modules where a misspelt key must never go
   * unnoticed (e.g. a safety limit).
   */
  REFUSE
}
