package io.edgeai4j.signal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes the {@link Features} of windows of one size and sample rate.
 *
 * <p>Statistics are defined in {@link Features}. Band energies come from the one-sided power spectrum of
 * the window: the window's mean is subtracted (the mean is its own feature), the samples are multiplied by
 * the {@link SpectralWindow} taper {@code w} (Hann by default), transformed with JTransforms'
 * {@link DoubleFFT_1D#realForward(double[])}, and bin {@code k} (at {@code k * sampleRateHz / n} Hz,
 * {@code k = 0 .. n/2}) gets the power {@code c_k |X_k|^2 / (n * sum(w^2))}, where {@code c_k} is 1 for the DC
 * and Nyquist bins and 2 for the others. By Parseval, the powers of all bins sum to
 * {@code sum((w (x - mean))^2) / sum(w^2)}: with the rectangular window, exactly the variance; with Hann,
 * the Hann-weighted variance, and a sine of amplitude {@code A} inside one band gives that band
 * {@code A^2 / 2}. A band's energy is the sum of the powers of its bins ({@link FrequencyBand}); bands may
 * overlap, and bands that tile 0 Hz to Nyquist (as {@link FrequencyBand#equalWidth} does) sum to the total.
 * A constant window has all band energies 0.
 *
 * <p>Samples are expected to be finite: a NaN or infinity makes the features NaN or infinite.
 *
 * <p>Holds the FFT plan and scratch arrays, and allocates only the result in {@link #extract}. Not
 * thread-safe: use one per sensor and thread, and reuse it. Owns no resources; nothing to close.
 * JTransforms may use its own process-wide thread pool for windows of 8192 samples or more.
 */
public final class FeatureExtractor {
  private final int windowSize;
  private final double sampleRateHz;
  private final List<FrequencyBand> bands;
  private final SpectralWindow spectralWindow;
  private final int[] bandFirstBin;
  private final int[] bandEndBin;
  private final DoubleFFT_1D fft;
  private final double[] taper;
  private final double[] spectrum;
  private final double[] power;
  private final double edgeBinScale;
  private final double innerBinScale;

  /**
   * Creates an extractor with the Hann window.
   *
   * @see #FeatureExtractor(int, double, List, SpectralWindow)
   */
  public FeatureExtractor(int windowSize, double sampleRateHz, List<FrequencyBand> bands) {
    this(windowSize, sampleRateHz, bands, SpectralWindow.HANN);
  }

  /**
   * Creates an extractor.
   *
   * @param windowSize Samples per window, in [{@value WindowSpec#MIN_SIZE}, {@value WindowSpec#MAX_SIZE}].
   * @param sampleRateHz The sample rate in Hz, or NaN or 0 when unknown (then {@code bands} must be empty and
   *     no FFT is done).
   * @param bands The bands whose energies to compute: distinct names, {@code highHz} at most the Nyquist
   *     frequency {@code sampleRateHz / 2}, and each holding at least one FFT bin (bins are
   *     {@code sampleRateHz / windowSize} Hz apart).
   * @param spectralWindow The taper applied before the FFT.
   * @throws IllegalArgumentException If a value is out of range; the message names it.
   */
  public FeatureExtractor(int windowSize, double sampleRateHz, List<FrequencyBand> bands,
      SpectralWindow spectralWindow) {
    WindowSpec.checkSize(windowSize);
    this.bands = List.copyOf(Objects.requireNonNull(bands, "bands"));
    this.spectralWindow = Objects.requireNonNull(spectralWindow, "spectralWindow");
    boolean rateUnknown = Double.isNaN(sampleRateHz) || sampleRateHz == 0;
    if (!rateUnknown && (sampleRateHz < 0 || Double.isInfinite(sampleRateHz))) {
      throw new IllegalArgumentException("sampleRateHz must be a positive finite number, or NaN or 0 for unknown, found "
          + sampleRateHz);
    }
    if (rateUnknown && !this.bands.isEmpty()) {
      throw new IllegalArgumentException("frequency bands need a known sample rate: found " + this.bands.size()
          + " bands " + names(this.bands) + " and sampleRateHz " + sampleRateHz);
    }
    this.windowSize = windowSize;
    this.sampleRateHz = rateUnknown ? Double.NaN : sampleRateHz;
    this.bandFirstBin = new int[this.bands.size()];
    this.bandEndBin = new int[this.bands.size()];
    locateBands();
    if (this.bands.isEmpty()) {
      this.fft = null;
      this.taper = null;
      this.spectrum = null;
      this.power = null;
      this.edgeBinScale = 0;
      this.innerBinScale = 0;
    } else {
      this.fft = new DoubleFFT_1D(windowSize);
      this.taper = new double[windowSize];
      spectralWindow.fill(taper);
      this.spectrum = new double[windowSize];
      this.power = new double[binCount()];
      double taperEnergy = 0;
      for (double w : taper) {
        taperEnergy += w * w;
      }
      this.edgeBinScale = 1 / (windowSize * taperEnergy);
      this.innerBinScale = 2 * edgeBinScale;
    }
  }

  /** Samples per window. */
  public int windowSize() {
    return windowSize;
  }

  /** The sample rate in Hz, or NaN when unknown. */
  public double sampleRateHz() {
    return sampleRateHz;
  }

  /** The bands, in the order of {@link Features#bandEnergies()}. */
  public List<FrequencyBand> bands() {
    return bands;
  }

  /** The taper applied before the FFT. */
  public SpectralWindow spectralWindow() {
    return spectralWindow;
  }

  /** The distance between FFT bins, {@code sampleRateHz / windowSize}, or NaN when the rate is unknown. */
  public double binWidthHz() {
    return sampleRateHz / windowSize;
  }

  /**
   * Computes the features of one window. The window is only read.
   *
   * @param window {@link #windowSize()} samples, oldest first.
   * @throws IllegalArgumentException If the window has another length.
   */
  public Features extract(double[] window) {
    if (window.length != windowSize) {
      throw new IllegalArgumentException("window must hold " + windowSize + " samples, found " + window.length);
    }
    double sum = 0;
    double sumOfSquares = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : window) {
      sum += x;
      sumOfSquares += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    int n = windowSize;
    double mean = sum / n;
    double rms = Math.sqrt(sumOfSquares / n);
    double peak = Math.max(Math.abs(min), Math.abs(max));
    double peakToPeak = max - min;
    double crestFactor = rms > 0 ? peak / rms : 0;
    double[] bandEnergies = new double[bands.size()];
    if (!(peakToPeak > 0)) {
      // Constant (or NaN): no spread to describe; NaN still propagates through the mean.
      double shape = Double.isNaN(peakToPeak) ? Double.NaN : 0;
      Arrays.fill(bandEnergies, shape);
      return new Features(mean, rms, peak, peakToPeak, crestFactor, shape, shape, bandEnergies);
    }
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    boolean withSpectrum = fft != null;
    for (int i = 0; i < n; i++) {
      double d = window[i] - mean;
      double d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
      if (withSpectrum) {
        spectrum[i] = d * taper[i];
      }
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    double skewness = m2 > 0 ? m3 / (m2 * Math.sqrt(m2)) : 0;
    double kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
    if (withSpectrum) {
      bandEnergies(bandEnergies);
    }
    return new Features(mean, rms, peak, peakToPeak, crestFactor, kurtosis, skewness, bandEnergies);
  }

  private void bandEnergies(double[] into) {
    fft.realForward(spectrum);
    int n = windowSize;
    power[0] = spectrum[0] * spectrum[0] * edgeBinScale;
    int last = power.length - 1;
    for (int k = 1; k < last; k++) {
      double re = spectrum[2 * k];
      double im = spectrum[2 * k + 1];
      power[k] = (re * re + im * im) * innerBinScale;
    }
    if (last > 0) {
      if (n % 2 == 0) {
        // realForward packs the (real) Nyquist bin into spectrum[1].
        power[last] = spectrum[1] * spectrum[1] * edgeBinScale;
      } else {
        // For odd n, the last bin's real part sits at spectrum[n - 1] and its imaginary part at spectrum[1].
        power[last] = (spectrum[n - 1] * spectrum[n - 1] + spectrum[1] * spectrum[1]) * innerBinScale;
      }
    }
    for (int b = 0; b < into.length; b++) {
      double energy = 0;
      for (int k = bandFirstBin[b]; k < bandEndBin[b]; k++) {
        energy += power[k];
      }
      into[b] = energy;
    }
  }

  /** One-sided bins: 0 .. n/2. */
  private int binCount() {
    return windowSize / 2 + 1;
  }

  private double binHz(int k) {
    return k * sampleRateHz / windowSize;
  }

  private void locateBands() {
    double nyquistHz = sampleRateHz / 2;
    Set<String> names = new HashSet<>();
    for (int b = 0; b < bands.size(); b++) {
      FrequencyBand band = Objects.requireNonNull(bands.get(b), "bands[" + b + "]");
      String where = "bands[" + b + "] '" + band.name() + "'";
      if (!names.add(band.name())) {
        throw new IllegalArgumentException(where + ": the name is used by an earlier band; band names must be distinct");
      }
      if (band.highHz() > nyquistHz) {
        throw new IllegalArgumentException(where + ": highHz " + band.highHz() + " is above the Nyquist frequency "
            + nyquistHz + " Hz (half of sampleRateHz " + sampleRateHz + ")");
      }
      int first = firstBinAtOrAbove(band.lowHz());
      int end = band.highHz() == nyquistHz ? binCount() : firstBinAtOrAbove(band.highHz());
      if (first >= end) {
        throw new IllegalArgumentException(where + ": [" + band.lowHz() + ", " + band.highHz()
            + ") Hz holds no FFT bin; bins are " + binWidthHz() + " Hz apart for " + windowSize + " samples at "
            + sampleRateHz + " Hz, so widen the band or the window");
      }
      bandFirstBin[b] = first;
      bandEndBin[b] = end;
    }
  }

  /** The lowest bin whose frequency is at least {@code hz}, or binCount() if none is. */
  private int firstBinAtOrAbove(double hz) {
    int k = (int) Math.min(binCount(), Math.ceil(hz * windowSize / sampleRateHz));
    while (k > 0 && binHz(k - 1) >= hz) {
      k--;
    }
    while (k < binCount() && binHz(k) < hz) {
      k++;
    }
    return k;
  }

  private static String names(List<FrequencyBand> bands) {
    return bands.stream().map(FrequencyBand::name).toList().toString();
  }

  @Override
  public String toString() {
    return "FeatureExtractor[windowSize=" + windowSize + ", sampleRateHz=" + sampleRateHz + ", bands="
        + names(bands) + ", " + spectralWindow + "]";
  }
}
