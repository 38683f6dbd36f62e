package io.edgeai4j.inference.serving;

import java.util.Locale;

/** Why an inference request failed; {@link #outcome()} is the metrics label. */
public enum FailureKind {
  /** No model of that name is served. */
  UNKNOWN_MODEL,
  /** The model is served, but not the version asked for. */
  UNKNOWN_VERSION,
  /** The model is known but no version of it is READY (loading or failed). */
  NOT_READY,
  /** The inputs do not match the model's (missing, unknown, wrong type or shape, batch too big). */
  BAD_INPUT,
  /** The version's queue holds maxQueueSize requests already. */
  QUEUE_FULL,
  /** The request waited longer than requestTimeoutMillis before running. */
  TIMEOUT,
  /** The backend failed while running the model. */
  MODEL_FAILED,
  /** The server is closing. */
  SHUTTING_DOWN;

  /** The lower-case name, as used in the {@code outcome} label. */
  public String outcome() {
    return name().toLowerCase(Locale.ROOT);
  }
}
