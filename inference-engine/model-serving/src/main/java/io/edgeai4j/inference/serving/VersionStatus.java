package io.edgeai4j.inference.serving;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of one model version. Immutable.
 *
 * @param version The version number (its directory name).
 * @param state Its state.
 * @param detail Why it FAILED, or a short description otherwise; never null.
 * @param loadTime Load plus warm-up time, {@link Duration#ZERO} until loaded.
 */
public record VersionStatus(long version, VersionState state, String detail, Duration loadTime) {
  /** Validates. */
  public VersionStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(loadTime, "loadTime");
  }
}
