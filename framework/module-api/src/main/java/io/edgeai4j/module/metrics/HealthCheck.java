package io.edgeai4j.module.metrics;

/**
 * Something whose health {@link MetricsServer} reports on {@code /health/live} and {@code /health/ready}.
 * Implementations are called from the server's threads, concurrently with everything else, so they must
 * be thread-safe, fast and must not block. {@link io.edgeai4j.module.host.ModuleHost} implements it.
 */
public interface HealthCheck {
  /**
   * Says whether the component works at all; a component that is not live needs a restart.
   *
   * @return True when live.
   */
  boolean isLive();

  /**
   * Says whether the component can do its job now (for a module: running and connected).
   *
   * @return True when ready.
   */
  boolean isReady();

  /**
   * Describes the state in a few words, for the health endpoints' JSON, e.g. {@code RUNNING}.
   *
   * @return The description.
   */
  String describe();
}
