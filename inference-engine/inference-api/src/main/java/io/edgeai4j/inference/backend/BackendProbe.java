package io.edgeai4j.inference.backend;

import java.util.Objects;

/**
 * What a backend found when it looked at this machine.
 *
 * @param available Whether models can run on it here.
 * @param detail When available, what it found (versions, devices); otherwise why not (no native library,
 *     no GPU, wrong version), in words a user can act on.
 */
public record BackendProbe(boolean available, String detail) {
  /** Validates. */
  public BackendProbe {
    Objects.requireNonNull(detail, "detail");
  }

  public static BackendProbe available(String detail) {
    return new BackendProbe(true, detail);
  }

  public static BackendProbe unavailable(String why) {
    return new BackendProbe(false, why);
  }
}
