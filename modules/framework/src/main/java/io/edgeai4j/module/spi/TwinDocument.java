package io.edgeai4j.module.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A whole module twin as a hub returns it. Both documents carry their {@code $version}.
 *
 * @param desired The desired properties, with {@code $version}.
 * @param reported The reported properties, with {@code $version}.
 */
public record TwinDocument(ObjectNode desired, ObjectNode reported) {
  /** The key of a twin document's version. */
  public static final String VERSION = "$version";

  /** Validates the fields and takes copies. */
  public TwinDocument {
    desired = Objects.requireNonNull(desired, "desired").deepCopy();
    reported = Objects.requireNonNull(reported, "reported").deepCopy();
  }

  /** Returns the desired document's {@code $version}, or 0 when it has none. */
  public long desiredVersion() {
    return desired.path(VERSION).asLong(0);
  }

  /** Returns the reported document's {@code $version}, or 0 when it has none. */
  public long reportedVersion() {
    return reported.path(VERSION).asLong(0);
  }
}
