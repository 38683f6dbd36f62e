package io.edgeai4j.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A device's routes, evaluated together as edgeHub's {@code Evaluator} does.
 *
 * <p>{@link #evaluate(RoutingMessage)} takes every route whose source matches the message and
 * whose condition is {@link TriState#TRUE}, groups them by sink endpoint, and keeps one per
 * endpoint: the one with the best (lowest) priority, with that route's TTL and name. So a message
 * goes at most once to each endpoint, and once to each of several endpoints. On a priority tie
 * edgeHub keeps whichever route its route dictionary enumerates first, which is unspecified; this
 * table keeps the one listed first.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteTable {
  private final List<RouteSpec> routes;

  /**
   * Creates a table.
   *
   * @param routes The routes; names must be unique, as they are keys in the deployment manifest.
   * @throws IllegalArgumentException If two routes have the same name.
   */
  public RouteTable(List<RouteSpec> routes) {
    Objects.requireNonNull(routes, "routes");
    this.routes = List.copyOf(routes);
    Set<String> names = new HashSet<>();
    for (RouteSpec spec : this.routes) {
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException("Duplicate route name: " + spec.name());
      }
    }
  }

  /**
   * Returns the routes.
   *
   * @return The routes, in the order given, unmodifiable.
   */
  public List<RouteSpec> routes() {
    return routes;
  }

  /**
   * Decides where a message goes.
   *
   * @param message The message.
   * @return One match per distinct endpoint, in the order in which each endpoint's first matching
   *     route is listed; empty when no route matches.
   */
  public List<RouteMatch> evaluate(RoutingMessage message) {
    Objects.requireNonNull(message, "message");
    EvalContext context = new EvalContext(message);
    Map<String, RouteSpec> best = new LinkedHashMap<>();
    for (RouteSpec spec : routes) {
      Route route = spec.route();
      if (!route.source().matches(message.sourcePath())) {
        continue;
      }
      if (evaluate(route.condition(), message, context) != TriState.TRUE) {
        continue;
      }
      best.merge(
          route.sink().endpointId(),
          spec,
          (kept, candidate) -> candidate.priority() < kept.priority() ? candidate : kept);
    }
    List<RouteMatch> matches = new ArrayList<>(best.size());
    for (RouteSpec spec : best.values()) {
      matches.add(
          new RouteMatch(spec.route().sink(), spec.priority(), spec.timeToLive(), spec.name()));
    }
    return List.copyOf(matches);
  }

  private static TriState evaluate(
      Condition condition, RoutingMessage message, EvalContext context) {
    return condition instanceof CompiledCondition compiled
        ? compiled.evaluate(context)
        : condition.evaluate(message);
  }

  @Override
  public String toString() {
    return "RouteTable" + routes;
  }
}
