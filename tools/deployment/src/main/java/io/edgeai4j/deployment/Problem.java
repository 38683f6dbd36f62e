package io.edgeai4j.deployment;

import java.util.Objects;

/**
 * One thing wrong with a deployment manifest.
 *
 * @param pointer The JSON pointer (RFC 6901) of the offending place in the manifest, {@code ""} for the whole.
 * @param severity Whether it makes the manifest invalid.
 * @param reason What was found and what was expected.
 */
public record Problem(String pointer, Severity severity, String reason) {
  /** Validates the fields. */
  public Problem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(reason, "reason");
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new IllegalArgumentException("a JSON pointer is empty or starts with '/': " + pointer);
    }
  }

  /** An error at {@code pointer}. */
  public static Problem error(String pointer, String reason) {
    return new Problem(pointer, Severity.ERROR, reason);
  }

  /** A warning at {@code pointer}. */
  public static Problem warning(String pointer, String reason) {
    return new Problem(pointer, Severity.WARNING, reason);
  }

  /** {@code <pointer>: <reason>}, the pointer of the whole manifest shown as {@code ""}. */
  @Override
  public String toString() {
    return (pointer.isEmpty() ? "\"\"" : pointer) + ": " + reason;
  }
}
