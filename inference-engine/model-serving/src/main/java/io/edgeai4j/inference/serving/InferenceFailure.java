package io.edgeai4j.inference.serving;

import java.util.Objects;

/** A request failed; {@link #kind()} says why in a way a caller can switch on, the message says what was found. */
public final class InferenceFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public InferenceFailure(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public FailureKind kind() {
    return kind;
  }
}
