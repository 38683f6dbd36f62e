package io.edgeai4j.module;

/**
 * Creates a module by name, so that a deployment manifest can name it. Implementations are listed in
 * {@code META-INF/services/io.edgeai4j.module.EdgeModuleFactory}. A manifest module whose image
 * repository ends in {@code /<id>} (or is exactly {@code <id>}), for example
 * {@code myacr.azurecr.io/edgeai4j/threshold-filter:0.1.0-amd64}, is run by the factory whose
 * {@link #id()} is {@code threshold-filter}.
 */
public interface EdgeModuleFactory {
  /** Returns the module's image name, lower case, e.g. {@code threshold-filter}. */
  String id();

  /** Returns a one-line description shown by {@code edge doctor} and in error messages. */
  String description();

  /** Creates a new, not yet started module instance. */
  EdgeModule create();
}
