package io.edgeai4j.training;

import io.edgeai4j.signal.Features;
import java.util.List;

/**
 * The classifier's input row: the fields of a sensor-ingestion {@code features} message, in the order of
 * {@link #FIELDS} (the {@code featureInput.fields} of {@code model.json}). Stateless.
 */
public final class FeatureVector {
  /** The number of equal-width bands the demo's ingestion settings ask for ({@code bandCount}). */
  public static final int BAND_COUNT = 4;
  /** The message fields, in input order; {@code bands.bandN} is a path into the message's {@code bands} object. */
  public static final List<String> FIELDS = List.of("rms", "peak", "peakToPeak", "crestFactor", "kurtosis",
      "skewness", "bands.band0", "bands.band1", "bands.band2", "bands.band3");

  private FeatureVector() {}

  /**
   * The row of one window's features.
   *
   * @throws IllegalArgumentException If the features do not hold {@value #BAND_COUNT} band energies.
   */
  public static double[] of(Features features) {
    double[] bands = features.bandEnergies();
    if (bands.length != BAND_COUNT) {
      throw new IllegalArgumentException("expected " + BAND_COUNT + " band energies, found " + bands.length);
    }
    return new double[] {features.rms(), features.peak(), features.peakToPeak(), features.crestFactor(),
        features.kurtosis(), features.skewness(), bands[0], bands[1], bands[2], bands[3]};
  }
}
