package io.edgeai4j.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * A named route with edgeHub's per-route settings, as in the {@code $edgeHub} desired properties
 * ({@code "routes": {"name": {"route": "...", "priority": 0, "timeToLiveSecs": 86400}}}).
 *
 * @param name The route's name (its key in the deployment manifest).
 * @param route The route.
 * @param priority 0 (highest) to 9 (lowest), or {@link #DEFAULT_PRIORITY} when not given, which
 *     ranks below all of 0..9.
 * @param timeToLive How long edgeHub keeps undelivered messages of this route, or {@code null} to
 *     use the global {@code storeAndForwardConfiguration.timeToLiveSecs}; edgeHub counts whole
 *     seconds, and a zero duration means the same as {@code null} (it is stored as {@code null}).
 */
public record RouteSpec(String name, Route route, int priority, Duration timeToLive) {
  /** edgeHub's priority for a route that does not set one ({@code RouteFactory.DefaultPriority}). */
  public static final int DEFAULT_PRIORITY = 2_000_000_000;

  /** The largest TTL edgeHub can hold: {@code uint.MaxValue} seconds. */
  private static final long MAX_TTL_SECONDS = 4_294_967_295L;

  /**
   * Validates the spec.
   *
   * @param name The route's name.
   * @param route The route.
   * @param priority 0..9 or {@link #DEFAULT_PRIORITY}.
   * @param timeToLive The TTL, or {@code null} for the global one; zero is stored as {@code null}.
   * @throws NullPointerException If the name or route is null.
   * @throws IllegalArgumentException If the name is blank, the priority is outside 0..9 and not
   *     {@link #DEFAULT_PRIORITY}, or the TTL is negative or longer than {@code uint.MaxValue}
   *     seconds.
   */
  public RouteSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(route, "route");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Route name cannot be blank");
    }
    if ((priority < 0 || priority > 9) && priority != DEFAULT_PRIORITY) {
      throw new IllegalArgumentException(
          "Invalid priority "
              + priority
              + " for route "
              + name
              + ": priority can only be between 0-9 (or absent)");
    }
    if (timeToLive != null) {
      if (timeToLive.isNegative()) {
        throw new IllegalArgumentException(
            "Invalid timeToLive " + timeToLive + " for route " + name + ": cannot be negative");
      }
      if (timeToLive.getSeconds() > MAX_TTL_SECONDS) {
        throw new IllegalArgumentException(
            "Invalid timeToLive " + timeToLive + " for route " + name + ": longer than 2^32-1 s");
      }
      if (timeToLive.isZero()) {
        timeToLive = null;
      }
    }
  }

  /**
   * Creates a spec with the default priority and the global TTL.
   *
   * @param name The route's name.
   * @param route The route.
   */
  public RouteSpec(String name, Route route) {
    this(name, route, DEFAULT_PRIORITY, null);
  }
}
