package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A rolling-element bearing's geometry, which sets its defect frequencies. The defaults are those of a
 * 6205 deep-groove ball bearing. Immutable.
 *
 * @param balls Number of rolling elements, 3 to 100; default 9.
 * @param ballDiameterMm Ball diameter d; default 7.94 mm.
 * @param pitchDiameterMm Pitch diameter D, greater than d; default 39.04 mm.
 * @param contactAngleDeg Contact angle phi, in [0, 60) degrees; default 0.
 */
public record BearingGeometry(int balls, double ballDiameterMm, double pitchDiameterMm, double contactAngleDeg) {
  /** A 6205 bearing. */
  public static final BearingGeometry DEFAULT = new BearingGeometry(9, 7.94, 39.04, 0);

  /** Validates. */
  public BearingGeometry {
    if (balls < 3 || balls > 100) {
      throw new InvalidSettingException("balls", "must be between 3 and 100, found " + balls);
    }
    Require.positive("ballDiameterMm", ballDiameterMm, 0, 10_000);
    Require.positive("pitchDiameterMm", pitchDiameterMm, 0, 10_000);
    if (!(ballDiameterMm < pitchDiameterMm)) {
      throw new InvalidSettingException("ballDiameterMm", "must be smaller than pitchDiameterMm ("
          + Require.num(pitchDiameterMm) + "), found " + Require.num(ballDiameterMm));
    }
    Require.between("contactAngleDeg", contactAngleDeg, 0, 0, 59.999);
  }

  @JsonCreator
  static BearingGeometry fromJson(@JsonProperty("balls") Integer balls, @JsonProperty("ballDiameterMm") Double ballDiameterMm,
      @JsonProperty("pitchDiameterMm") Double pitchDiameterMm, @JsonProperty("contactAngleDeg") Double contactAngleDeg) {
    BearingGeometry d = DEFAULT;
    return new BearingGeometry(balls == null ? d.balls : balls, VibrationSettings.or(ballDiameterMm, d.ballDiameterMm),
        VibrationSettings.or(pitchDiameterMm, d.pitchDiameterMm), VibrationSettings.or(contactAngleDeg, d.contactAngleDeg));
  }

  /** Ball-pass frequency of the outer race, {@code (n/2) f_r (1 - d/D cos phi)}. */
  public double bpfo(double shaftHz) {
    return balls / 2.0 * shaftHz * (1 - ratio());
  }

  /** Ball-pass frequency of the inner race, {@code (n/2) f_r (1 + d/D cos phi)}. */
  public double bpfi(double shaftHz) {
    return balls / 2.0 * shaftHz * (1 + ratio());
  }

  private double ratio() {
    return ballDiameterMm / pitchDiameterMm * Math.cos(Math.toRadians(contactAngleDeg));
  }
}
