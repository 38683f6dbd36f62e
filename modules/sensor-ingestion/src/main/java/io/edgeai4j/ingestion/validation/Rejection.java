package io.edgeai4j.ingestion.validation;

import java.util.Objects;

/**
 * Why a reading or a block failed validation.
 *
 * @param check The check it failed.
 * @param reason What was found and what was expected, e.g. {@code "value 812.3 is above max 500"}.
 */
public record Rejection(Check check, String reason) {
  /** Validates. */
  public Rejection {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(reason, "reason");
  }
}
