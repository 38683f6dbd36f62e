package io.edgeai4j.inference.module;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * The twin's {@code activations}: how input {@code activations} reassembles the chunks of a split model's forwarded
 * tensors. Immutable.
 *
 * @param reassemblyTimeout How long a set of chunks may stay incomplete before it is dropped and answered
 *     {@code incomplete_activations}; {@code reassemblyTimeoutMillis}, 1 to 3600000, default 10000.
 * @param maxPendingSets How many incomplete sets are kept; over it the oldest is dropped and answered; 1 to 100000,
 *     default 64.
 */
public record ActivationSettings(Duration reassemblyTimeout, int maxPendingSets) {
  /** The defaults: 10 s, 64 sets. */
  public static final ActivationSettings DEFAULT = new ActivationSettings(Duration.ofSeconds(10), 64);

  /** Binds from the twin; absent fields take their defaults. */
  @JsonCreator
  public static ActivationSettings of(@JsonProperty("reassemblyTimeoutMillis") Long reassemblyTimeoutMillis,
      @JsonProperty("maxPendingSets") Integer maxPendingSets) {
    return new ActivationSettings(reassemblyTimeoutMillis == null ? DEFAULT.reassemblyTimeout()
        : Duration.ofMillis(reassemblyTimeoutMillis), maxPendingSets == null ? DEFAULT.maxPendingSets()
        : maxPendingSets);
  }

  /** Validates. */
  public ActivationSettings {
    Objects.requireNonNull(reassemblyTimeout, "reassemblyTimeout");
    if (reassemblyTimeout.toMillis() < 1 || reassemblyTimeout.toMillis() > 3_600_000) {
      throw new IllegalArgumentException("activations.reassemblyTimeoutMillis must be 1 to 3600000, found "
          + reassemblyTimeout.toMillis());
    }
    if (maxPendingSets < 1 || maxPendingSets > 100_000) {
      throw new IllegalArgumentException("activations.maxPendingSets must be 1 to 100000, found " + maxPendingSets);
    }
  }
}
