package io.edgeai4j.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The band energies of {@link Features}: sines, noise, Parseval, and a direct DFT as a second opinion. */
class FeatureSpectrumTest {

  @ParameterizedTest(name = "{0} Hz amplitude {1} phase {2} at {3} Hz, {4} samples, {5}")
  @CsvSource({
      // frequency, amplitude, phase, rate, size, window, tolerance (relative)
      "  1000,     1,   0,    25000, 1024, HANN,        0.01",
      "  1003.7,   2.5, 0.3,  25000, 1024, HANN,        0.01",
      "  4321.9,   0.1, 1.1,  25000, 1024, HANN,        0.01",
      "  11000.3,  7,   2.0,  25000, 1024, HANN,        0.01",
      "  93.45,    1,   0.5,  1000,  1000, HANN,        0.01",
      "  2000,     3,   0.7,  16000, 512,  RECTANGULAR, 1e-9",
      "  3906.25,  1,   0.2,  25000, 1024, RECTANGULAR, 1e-9",
  })
  void aSineInsideABandGivesThatBandItsMeanPower(double frequencyHz, double amplitude, double phase,
      double sampleRateHz, int size, SpectralWindow spectralWindow, double tolerance) {
    List<FrequencyBand> bands = FrequencyBand.equalWidth(8, sampleRateHz);
    double[] window = new double[size];
    for (int i = 0; i < size; i++) {
      // An offset too: the mean is removed before the FFT and must not reach the lowest band.
      window[i] = 5 + amplitude * Math.sin(2 * Math.PI * frequencyHz * i / sampleRateHz + phase);
    }

    double[] energies = new FeatureExtractor(size, sampleRateHz, bands, spectralWindow).extract(window).bandEnergies();

    double meanPower = amplitude * amplitude / 2;
    int inside = (int) (frequencyHz / (sampleRateHz / 2 / 8));
    for (int b = 0; b < bands.size(); b++) {
      if (b == inside) {
        assertThat(energies[b]).as("band %d", b).isCloseTo(meanPower, within(tolerance * meanPower));
      } else {
        assertThat(energies[b]).as("band %d", b).isLessThan(tolerance * meanPower);
      }
    }
  }

  static Stream<Arguments> noise() {
    return Stream.of(SpectralWindow.values())
        .flatMap(w -> Stream.of(2, 3, 17, 1000, 1024).map(n -> Arguments.of(n, w)));
  }

  @ParameterizedTest(name = "{0} samples, {1}")
  @MethodSource("noise")
  void bandsThatTileTheSpectrumSumToTheTaperWeightedVariance(int size, SpectralWindow spectralWindow) {
    double sampleRateHz = 25_000;
    double[] window = gaussian(size, 10 + size);
    List<FrequencyBand> bands = FrequencyBand.equalWidth(Math.min(8, size / 2), sampleRateHz);

    Features features = new FeatureExtractor(size, sampleRateHz, bands, spectralWindow).extract(window);

    double total = 0;
    for (double energy : features.bandEnergies()) {
      total += energy;
    }
    double[] taper = new double[size];
    spectralWindow.fill(taper);
    double weighted = 0;
    double taperEnergy = 0;
    for (int i = 0; i < size; i++) {
      double y = (window[i] - features.mean()) * taper[i];
      weighted += y * y;
      taperEnergy += taper[i] * taper[i];
    }
    assertThat(total).isCloseTo(weighted / taperEnergy, within(1e-9 * total));
    if (spectralWindow == SpectralWindow.RECTANGULAR) {
      assertThat(total).isCloseTo(new Variance(false).evaluate(window), within(1e-9 * total));
    }
  }

  @Test
  void whiteNoiseSpreadsItsPowerEvenlyOverEqualBands() {
    int size = 1024;
    double sampleRateHz = 25_000;
    double sigma = 3;
    FeatureExtractor extractor = new FeatureExtractor(size, sampleRateHz, FrequencyBand.equalWidth(8, sampleRateHz));
    double[] sums = new double[8];
    Random random = new Random(5);
    int windows = 200;
    double[] window = new double[size];
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < size; i++) {
        window[i] = sigma * random.nextGaussian();
      }
      double[] energies = extractor.extract(window).bandEnergies();
      for (int b = 0; b < 8; b++) {
        sums[b] += energies[b];
      }
    }
    // Each band's mean over 200 windows has a relative standard error of about 1 %.
    for (int b = 0; b < 8; b++) {
      assertThat(sums[b] / windows).as("band %d", b).isCloseTo(sigma * sigma / 8, within(0.06 * sigma * sigma / 8));
    }
  }

  static Stream<Arguments> bandLayouts() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : new int[] {2, 3, 16, 17, 1000, 1024}) {
      for (SpectralWindow spectralWindow : SpectralWindow.values()) {
        cases.add(Arguments.of(size, spectralWindow));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} samples, {1}")
  @MethodSource("bandLayouts")
  void bandEnergiesMatchADirectDftOnArbitraryBands(int size, SpectralWindow spectralWindow) {
    double sampleRateHz = 8000;
    double nyquist = sampleRateHz / 2;
    double binHz = sampleRateHz / size;
    List<FrequencyBand> bands = new ArrayList<>();
    bands.add(new FrequencyBand("dc", 0, binHz * 0.5));
    bands.add(new FrequencyBand("top", nyquist - binHz * 0.9, nyquist));
    bands.add(new FrequencyBand("everything", 0, nyquist));
    if (size >= 16) {
      bands.add(new FrequencyBand("edgesOnBins", 2 * binHz, 5 * binHz));
      bands.add(new FrequencyBand("between", 2.5 * binHz, 7.25 * binHz));
      bands.add(new FrequencyBand("overlapping", 3 * binHz, nyquist * 0.75));
    }
    double[] window = gaussian(size, 99);

    Features features = new FeatureExtractor(size, sampleRateHz, bands, spectralWindow).extract(window);

    double[] power = directOneSidedPower(window, features.mean(), spectralWindow);
    for (int b = 0; b < bands.size(); b++) {
      FrequencyBand band = bands.get(b);
      double expected = 0;
      for (int k = 0; k < power.length; k++) {
        double hz = k * binHz;
        if ((hz >= band.lowHz() && hz < band.highHz()) || (band.highHz() == nyquist && hz == nyquist)) {
          expected += power[k];
        }
      }
      assertThat(features.bandEnergies()[b]).as(band.name())
          .isCloseTo(expected, within(1e-9 * power.length * maxOf(power)));
    }
  }

  /** The one-sided power spectrum by the DFT's definition, normalised as FeatureExtractor documents. */
  private static double[] directOneSidedPower(double[] x, double mean, SpectralWindow spectralWindow) {
    int n = x.length;
    double[] taper = new double[n];
    spectralWindow.fill(taper);
    double taperEnergy = 0;
    for (double w : taper) {
      taperEnergy += w * w;
    }
    double[] power = new double[n / 2 + 1];
    for (int k = 0; k < power.length; k++) {
      double re = 0;
      double im = 0;
      for (int i = 0; i < n; i++) {
        double angle = -2 * Math.PI * (long) k * i / n;
        double y = (x[i] - mean) * taper[i];
        re += y * Math.cos(angle);
        im += y * Math.sin(angle);
      }
      boolean edge = k == 0 || 2 * k == n;
      power[k] = (edge ? 1 : 2) * (re * re + im * im) / (n * taperEnergy);
    }
    return power;
  }

  private static double maxOf(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private static double[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = 0.5 + random.nextGaussian();
    }
    return values;
  }
}
