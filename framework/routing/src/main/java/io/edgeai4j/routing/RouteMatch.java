package io.edgeai4j.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * One delivery decided by a {@link RouteTable}: the sink, and the priority and TTL of the route
 * that won for it.
 *
 * @param sink Where the message goes.
 * @param priority The winning route's priority, 0..9 or {@link RouteSpec#DEFAULT_PRIORITY}.
 * @param timeToLive The winning route's TTL, or {@code null} for the global TTL.
 * @param routeName The winning route's name.
 */
public record RouteMatch(Sink sink, int priority, Duration timeToLive, String routeName) {
  /**
   * Checks for nulls.
   *
   * @param sink Where the message goes.
   * @param priority The winning route's priority.
   * @param timeToLive The winning route's TTL, or {@code null} for the global TTL.
   * @param routeName The winning route's name.
   * @throws NullPointerException If the sink or route name is null.
   */
  public RouteMatch {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(routeName, "routeName");
  }
}
