package io.edgeai4j.inference.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A served model: the versions requests may use, those that failed or are loading, and the descriptors of the last
 * few retired. Held by the {@link ModelRegistry}. Thread-safe for readers: {@link #serving} and {@link #others} are
 * immutable snapshots, republished whole (volatile) only by {@link HotSwap} under the server's control lock;
 * {@link #retired} is synchronized.
 */
final class ServedModel {
  private static final int RETIRED_DESCRIPTORS_KEPT = 8;

  final String name;
  /** READY (when published) versions, ascending; replaced as a whole, never mutated. */
  volatile List<ServedVersion> serving = List.of();
  /** LOADING and FAILED versions, by number. */
  volatile Map<Long, VersionStatus> others = Map.of();
  /** The descriptors of the last few versions retired, by number (so a late answer can still be described). */
  final Map<Long, ModelDescriptor> retired = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ModelDescriptor> eldest) {
          return size() > RETIRED_DESCRIPTORS_KEPT;
        }
      });

  ServedModel(String name) {
    this.name = name;
  }
}
