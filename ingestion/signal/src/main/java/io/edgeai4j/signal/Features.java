package io.edgeai4j.signal;

import java.util.Arrays;
import java.util.Objects;

/**
 * The features of one window of {@code n} samples {@code x}, as {@link FeatureExtractor} defines them.
 * Statistics use population (biased, divide-by-n) moments, as scipy's {@code skew} and {@code kurtosis}
 * do by default.
 *
 * <p>Immutable in practice and safe to share between threads, with one caveat kept for speed:
 * {@code bandEnergies()} returns the record's own array, not a copy; do not change it.
 *
 * @param mean {@code sum(x) / n}.
 * @param rms The root mean square, {@code sqrt(sum(x^2) / n)}.
 * @param peak {@code max |x|}.
 * @param peakToPeak {@code max(x) - min(x)}.
 * @param crestFactor {@code peak / rms}; 0 when the RMS is 0 (an all-zero window, or samples below about
 *     1e-154 whose squares underflow).
 * @param kurtosis The excess kurtosis {@code m4 / m2^2 - 3} (normal distribution: 0), where
 *     {@code mk = sum((x - mean)^k) / n}; 0 for a constant window.
 * @param skewness {@code m3 / m2^1.5}; 0 for a constant window.
 * @param bandEnergies The power in each of the extractor's bands, in the order of
 *     {@link FeatureExtractor#bands()}, in the square of the samples' unit (e.g. (m/s^2)^2); empty when the
 *     extractor has no bands.
 */
public record Features(double mean, double rms, double peak, double peakToPeak, double crestFactor, double kurtosis,
    double skewness, double[] bandEnergies) {

  /** Checks that bandEnergies is present (it is kept, not copied). */
  public Features {
    Objects.requireNonNull(bandEnergies, "bandEnergies");
  }

  /** Equal when every statistic and every band energy is equal (as {@link Double#compare} sees them). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Features that
        && Double.compare(mean, that.mean) == 0
        && Double.compare(rms, that.rms) == 0
        && Double.compare(peak, that.peak) == 0
        && Double.compare(peakToPeak, that.peakToPeak) == 0
        && Double.compare(crestFactor, that.crestFactor) == 0
        && Double.compare(kurtosis, that.kurtosis) == 0
        && Double.compare(skewness, that.skewness) == 0
        && Arrays.equals(bandEnergies, that.bandEnergies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mean, rms, peak, peakToPeak, crestFactor, kurtosis, skewness, Arrays.hashCode(bandEnergies));
  }

  @Override
  public String toString() {
    return "Features[mean=" + mean + ", rms=" + rms + ", peak=" + peak + ", peakToPeak=" + peakToPeak
        + ", crestFactor=" + crestFactor + ", kurtosis=" + kurtosis + ", skewness=" + skewness
        + ", bandEnergies=" + Arrays.toString(bandEnergies) + "]";
  }
}
