package io.edgeai4j.module.host;

import io.edgeai4j.retry.BackoffPolicy;
import java.util.Objects;

/**
 * How the host offers an abandoned input message again: after the delays of {@code backoff}, up to
 * {@code maxAttempts} offers in all, then the message is dead-lettered. Immutable, validated once.
 *
 * @param backoff The delays between offers (and between tries of a dead-letter send the hub refuses for now).
 * @param maxAttempts How many times a message is offered to its handler before it is dead-lettered; 1 or more
 *     (1: dead-lettered at the first abandon).
 */
record Redelivery(BackoffPolicy backoff, int maxAttempts) {
  /** @throws IllegalArgumentException Naming the value found and what was expected. */
  Redelivery {
    Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1, was " + maxAttempts);
    }
  }
}
