package io.edgeai4j.module.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A whole module twin as a hub returns it. Both documents carry their {@code $version}. Immutable: the
 * constructor copies the documents, and {@link #desired()} and {@link #reported()} return copies, so a twin
 * can be shared between threads and no caller can change what another sees.
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

  /** Returns a deep copy of the desired properties, with {@code $version}; the caller may change it. */
  @Override
  public ObjectNode desired() {
    return desired.deepCopy();
  }

  /** Returns a deep copy of the reported properties, with {@code $version}; the caller may change it. */
  @Override
  public ObjectNode reported() {
    return reported.deepCopy();
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
