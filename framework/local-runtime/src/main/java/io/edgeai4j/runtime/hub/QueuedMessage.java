package io.edgeai4j.runtime.hub;

import io.edgeai4j.module.EdgeMessage;
import java.time.Instant;

/**
 * A message waiting in an endpoint queue.
 *
 * @param message The message, with the hub's system properties set.
 * @param sourcePath The edgeHub source path it came from.
 * @param priority The queue priority (0 highest; {@code RouteSpec.DEFAULT_PRIORITY} when none).
 * @param enqueuedAt When it was stored.
 * @param expiresAt When it expires, or null for never.
 * @param sequence The hub's number for this copy, increasing in the order copies are stored (across restarts when
 *     the hub has a store): what the store removes it by.
 */
record QueuedMessage(EdgeMessage message, String sourcePath, int priority, Instant enqueuedAt, Instant expiresAt,
    long sequence) {
  boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  int size() {
    return message.sizeInBytes();
  }
}
