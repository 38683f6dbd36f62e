package io.edgeai4j.inference.serving;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one served model. Immutable.
 *
 * @param name The model's name (its directory name).
 * @param versions Its versions, by number ascending.
 * @param descriptor The {@code model.json} of its newest serving version; null while none is READY.
 */
public record ModelStatus(String name, List<VersionStatus> versions, ModelDescriptor descriptor) {
  /** Validates and copies. */
  public ModelStatus {
    Objects.requireNonNull(name, "name");
    versions = List.copyOf(versions);
  }
}
