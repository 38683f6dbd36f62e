package io.edgeai4j.inference.serving;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ModelServer} serves. Immutable.
 *
 * @param repository The model repository: {@code <repository>/<model>/<version>/model.onnx} and {@code model.json}.
 * @param models The models to serve, by name, with their version policy; models absent from the map are not
 *     served.
 */
public record ServingConfig(Path repository, Map<String, VersionPolicy> models) {
  /** Validates and copies. */
  public ServingConfig {
    Objects.requireNonNull(repository, "repository");
    models = Map.copyOf(Objects.requireNonNull(models, "models"));
  }
}
