package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The motor-current model: {@code (noLoad + (fullLoad - noLoad) * load) * (1 + fault effects)}, in
 * amperes (RMS). Immutable.
 *
 * @param noLoadA Current at no load; default 4, in [0, 10000].
 * @param fullLoadA Current at full load, at least {@code noLoadA}; default 12.
 * @param noiseA Standard deviation of the measurement noise; default 0.05, in [0, 100].
 */
public record MotorCurrentSettings(double noLoadA, double fullLoadA, double noiseA) {
  /** The defaults. */
  public static final MotorCurrentSettings DEFAULT = new MotorCurrentSettings(4, 12, 0.05);

  /** Validates. */
  public MotorCurrentSettings {
    Require.between("noLoadA", noLoadA, 0, 0, 10_000);
    Require.between("fullLoadA", fullLoadA, 0, 0, 10_000);
    if (fullLoadA < noLoadA) {
      throw new InvalidSettingException("fullLoadA", "must be at least noLoadA (" + Require.num(noLoadA) + "), found "
          + Require.num(fullLoadA));
    }
    Require.between("noiseA", noiseA, 0, 0, 100);
  }

  @JsonCreator
  static MotorCurrentSettings fromJson(@JsonProperty("noLoadA") Double noLoadA, @JsonProperty("fullLoadA") Double fullLoadA,
      @JsonProperty("noiseA") Double noiseA) {
    MotorCurrentSettings d = DEFAULT;
    return new MotorCurrentSettings(VibrationSettings.or(noLoadA, d.noLoadA), VibrationSettings.or(fullLoadA, d.fullLoadA),
        VibrationSettings.or(noiseA, d.noiseA));
  }
}
