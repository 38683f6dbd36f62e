package io.edgeai4j.ingestion.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A frequency band whose spectral energy is a feature, {@code [lowHz, highHz)}.
 *
 * @param lowHz The lower edge, 0 or more.
 * @param highHz The upper edge, above {@code lowHz} and at most the Nyquist frequency of the sensor.
 */
public record BandConfig(double lowHz, double highHz) {
  /** Binds a band from the twin. */
  @JsonCreator
  public static BandConfig of(@JsonProperty(value = "lowHz", required = true) double lowHz,
      @JsonProperty(value = "highHz", required = true) double highHz) {
    return new BandConfig(lowHz, highHz);
  }

  /** Validates. */
  public BandConfig {
    if (!(lowHz >= 0) || !(highHz > lowHz) || Double.isInfinite(highHz)) {
      throw new IllegalArgumentException("a band needs 0 <= lowHz < highHz (finite), found lowHz " + lowHz
          + " and highHz " + highHz);
    }
  }
}
