package io.edgeai4j.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A manifest generated from a template for one platform.
 *
 * @param platform The target.
 * @param manifest The deployment manifest ({@code {"modulesContent": ...}}); owned by the record, do not change it.
 * @param warnings What iotedgedev would also have warned about, each {@code <pointer>: <reason>}.
 */
public record GeneratedManifest(Platform platform, ObjectNode manifest, List<String> warnings) {
  /** Validates and copies. */
  public GeneratedManifest {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(manifest, "manifest");
    warnings = List.copyOf(warnings);
  }
}
