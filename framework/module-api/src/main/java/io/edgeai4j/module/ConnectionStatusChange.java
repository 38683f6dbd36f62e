package io.edgeai4j.module;

import java.util.Objects;

/**
 * A change of {@link ConnectionStatus}.
 *
 * @param status The new status.
 * @param reason Why.
 * @param cause The error behind it, or null.
 */
public record ConnectionStatusChange(ConnectionStatus status, ConnectionStatusReason reason, Throwable cause) {
  /** Validates the fields. */
  public ConnectionStatusChange {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }
}
