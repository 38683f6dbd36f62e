package io.edgeai4j.ingestion.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * The bearing-housing temperature model: a first-order lag toward
 * {@code ambient + loadRise * load + fault heating}, in degrees Celsius. Immutable.
 *
 * @param ambientC Temperature of an idle machine; default 25, in [-50, 150].
 * @param loadRiseC Rise at full load; default 30, in [0, 200].
 * @param timeConstant How fast the temperature follows its target; default 300 s.
 * @param noiseC Standard deviation of the measurement noise; default 0.05, in [0, 10].
 */
public record ThermalSettings(double ambientC, double loadRiseC, Duration timeConstant, double noiseC) {
  /** The defaults. */
  public static final ThermalSettings DEFAULT = new ThermalSettings(25, 30, Duration.ofMinutes(5), 0.05);

  /** Validates. */
  public ThermalSettings {
    Objects.requireNonNull(timeConstant, "timeConstant");
    Require.between("ambientC", ambientC, 0, -50, 150);
    Require.between("loadRiseC", loadRiseC, 0, 0, 200);
    Require.positiveSeconds("timeConstantSeconds", timeConstant.toNanos() / 1e9, 0);
    Require.between("noiseC", noiseC, 0, 0, 10);
  }

  @JsonCreator
  static ThermalSettings fromJson(@JsonProperty("ambientC") Double ambientC, @JsonProperty("loadRiseC") Double loadRiseC,
      @JsonProperty("timeConstantSeconds") Double timeConstantSeconds, @JsonProperty("noiseC") Double noiseC) {
    ThermalSettings d = DEFAULT;
    return new ThermalSettings(VibrationSettings.or(ambientC, d.ambientC), VibrationSettings.or(loadRiseC, d.loadRiseC),
        Require.positiveSeconds("timeConstantSeconds", timeConstantSeconds, 300), VibrationSettings.or(noiseC, d.noiseC));
  }
}
