package io.edgeai4j.ingestion.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The healthy machine's vibration and the size of bearing-defect bursts, all in m/s^2. Immutable.
 *
 * @param oneX Amplitude of the shaft-frequency (1x) sine; default 0.5.
 * @param twoX Amplitude of the 2x sine; default 0.15.
 * @param threeX Amplitude of the 3x sine; default 0.05.
 * @param noiseRms RMS of the broadband Gaussian noise; default 0.05.
 * @param burstPeak Peak of one bearing-defect burst at severity 1; default 5.
 * @param resonanceHz The structural resonance that the defect impacts excite; default 3000 Hz, used
 *     at no more than 0.4 times the sample rate.
 */
public record VibrationSettings(double oneX, double twoX, double threeX, double noiseRms, double burstPeak,
    double resonanceHz) {
  /** The defaults. */
  public static final VibrationSettings DEFAULT = new VibrationSettings(0.5, 0.15, 0.05, 0.05, 5, 3000);

  private static final double MAX_AMPLITUDE = 1000;

  /** Validates. */
  public VibrationSettings {
    Require.atLeastZero("oneX", oneX, 0, MAX_AMPLITUDE);
    Require.atLeastZero("twoX", twoX, 0, MAX_AMPLITUDE);
    Require.atLeastZero("threeX", threeX, 0, MAX_AMPLITUDE);
    Require.atLeastZero("noiseRms", noiseRms, 0, MAX_AMPLITUDE);
    Require.atLeastZero("burstPeak", burstPeak, 0, MAX_AMPLITUDE);
    Require.positive("resonanceHz", resonanceHz, 0, 100_000);
  }

  @JsonCreator
  static VibrationSettings fromJson(@JsonProperty("oneX") Double oneX, @JsonProperty("twoX") Double twoX,
      @JsonProperty("threeX") Double threeX, @JsonProperty("noiseRms") Double noiseRms,
      @JsonProperty("burstPeak") Double burstPeak, @JsonProperty("resonanceHz") Double resonanceHz) {
    VibrationSettings d = DEFAULT;
    return new VibrationSettings(or(oneX, d.oneX), or(twoX, d.twoX), or(threeX, d.threeX), or(noiseRms, d.noiseRms),
        or(burstPeak, d.burstPeak), or(resonanceHz, d.resonanceHz));
  }

  /** The resonance frequency used at {@code sampleRateHz}: the setting, or 0.4 times the rate when lower. */
  public double resonanceHzAt(int sampleRateHz) {
    return Math.min(resonanceHz, 0.4 * sampleRateHz);
  }

  static double or(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
