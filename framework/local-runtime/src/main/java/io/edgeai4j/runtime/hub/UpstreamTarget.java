package io.edgeai4j.runtime.hub;

import io.edgeai4j.module.EdgeMessage;

/**
 * Where a {@link LocalEdgeHub}'s {@code $upstream} messages go: the JSON Lines file of the top device
 * ({@link UpstreamWriter}), or the emulated link to a parent device in a nested hierarchy.
 *
 * <p>The hub's {@code $upstream} delivery thread calls {@link #offer} with one message at a time, in the order of
 * its store (highest priority first, FIFO within a priority). A message the target does not take stays at the head
 * of the hub's store and is offered again after {@link HubOptions#redeliveryDelay()}, expiring by its time to live
 * meanwhile, as edgeHub keeps messages while its upstream is unreachable. Implementations must be thread-safe; who
 * creates one closes it.
 */
public interface UpstreamTarget {
  /**
   * Offers one message.
   *
   * @param message The message, with the hub's system properties ({@code connectionDeviceId},
   *     {@code connectionModuleId}, {@code outputName}, {@code enqueuedTime}) set.
   * @param sourcePath The edgeHub source path it was routed from.
   * @return True when the target took it (the hub completes it), false when it cannot take it now (it stays in the
   *     hub's store).
   * @throws java.io.UncheckedIOException If writing failed; the message stays in the hub's store.
   */
  boolean offer(EdgeMessage message, String sourcePath);

  /** Says where messages go, for logs, e.g. the file or the link. */
  String describe();
}
