package io.edgeai4j.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.moment.Kurtosis;
import org.apache.commons.math3.stat.descriptive.moment.Skewness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The statistics of {@link Features}, against commons-math3 and hand-computed values. */
class FeatureStatisticsTest {
  private static final double RELATIVE = 1e-9;

  enum Distribution {
    GAUSSIAN, UNIFORM, EXPONENTIAL, GAUSSIAN_ON_LARGE_OFFSET, SPIKY;

    DoubleSupplier sampler(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      java.util.Random gaussian = new java.util.Random(seed);
      return switch (this) {
        case GAUSSIAN -> () -> 2.5 * gaussian.nextGaussian();
        case UNIFORM -> () -> random.nextDouble(-3, 7);
        case EXPONENTIAL -> () -> -Math.log(1 - random.nextDouble());
        case GAUSSIAN_ON_LARGE_OFFSET -> () -> 1e4 + gaussian.nextGaussian();
        case SPIKY -> () -> random.nextInt(50) == 0 ? 20 * gaussian.nextGaussian() : gaussian.nextGaussian();
      };
    }
  }

  static Stream<Arguments> randomWindows() {
    return Stream.of(Distribution.values())
        .flatMap(d -> Stream.of(4, 7, 64, 1000, 1024).map(n -> Arguments.of(d, n)));
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("randomWindows")
  void statisticsMatchCommonsMath(Distribution distribution, int n) {
    double[] window = new double[n];
    DoubleSupplier sampler = distribution.sampler(n * 31L + distribution.ordinal());
    for (int i = 0; i < n; i++) {
      window[i] = sampler.getAsDouble();
    }
    DescriptiveStatistics stats = new DescriptiveStatistics(window);

    Features features = new FeatureExtractor(n, Double.NaN, List.of()).extract(window);

    double rms = stats.getQuadraticMean();
    double peak = Math.max(Math.abs(stats.getMax()), Math.abs(stats.getMin()));
    assertThat(features.mean()).isCloseTo(stats.getMean(), within(RELATIVE * Math.abs(stats.getMean()) + 1e-12));
    assertThat(features.rms()).isCloseTo(rms, within(RELATIVE * rms));
    assertThat(features.peak()).isEqualTo(peak);
    assertThat(features.peakToPeak()).isEqualTo(stats.getMax() - stats.getMin());
    assertThat(features.crestFactor()).isCloseTo(peak / rms, within(RELATIVE * peak / rms));
    // Tolerances relative to the spread: the large-offset case loses digits in any two-pass algorithm.
    double skewness = populationSkewness(new Skewness().evaluate(window), n);
    double kurtosis = populationExcessKurtosis(new Kurtosis().evaluate(window), n);
    assertThat(features.skewness()).isCloseTo(skewness, within(1e-7 * (1 + Math.abs(skewness))));
    assertThat(features.kurtosis()).isCloseTo(kurtosis, within(1e-7 * (1 + Math.abs(kurtosis))));
    assertThat(features.bandEnergies()).isEmpty();
  }

  /** commons-math's Skewness is the bias-corrected G1 = g1 sqrt(n (n - 1)) / (n - 2); returns g1. */
  private static double populationSkewness(double sampleSkewness, int n) {
    return sampleSkewness * (n - 2) / Math.sqrt((double) n * (n - 1));
  }

  /**
   * commons-math's Kurtosis is the bias-corrected excess G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3));
   * returns g2.
   */
  private static double populationExcessKurtosis(double sampleKurtosis, int n) {
    return (sampleKurtosis * (n - 2) * (n - 3) / (n - 1) - 6) / (n + 1);
  }

  @Test
  void gaussianNoiseHasKurtosisAndSkewnessNearZero() {
    int n = 1 << 16;
    java.util.Random random = new java.util.Random(3);
    double[] window = new double[n];
    for (int i = 0; i < n; i++) {
      window[i] = random.nextGaussian();
    }
    Features features = new FeatureExtractor(n, Double.NaN, List.of()).extract(window);
    // Standard errors at n = 65536: skewness ~0.01, excess kurtosis ~0.02.
    assertThat(features.skewness()).isCloseTo(0, within(0.05));
    assertThat(features.kurtosis()).isCloseTo(0, within(0.1));
    assertThat(features.crestFactor()).isBetween(3.5, 6.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // window;                     mean, rms,        peak, p2p, crest,       kurtosis, skewness
      "'1, -1',                      0,    1,          1,    2,   1,           -2,       0",
      "'0, 0, 0, 0',                 0,    0,          0,    0,   0,           0,        0",
      "'-3, -3, -3',                 -3,   3,          3,    0,   1,           0,        0",
      "'3, 0, 0, 0',                 0.75, 1.5,        3,    3,   2,           -0.6666666666666667, 1.1547005383792515",
      "'1, 1, 1, -1, -1, -1',        0,    1,          1,    2,   1,           -2,       0",
      "'2, 4, 4, 4, 5, 5, 7, 9',     5,    5.385164807134504, 9, 7, 1.6712580435934667, -0.21875, 0.65625",
  })
  void handComputedWindows(String values, double mean, double rms, double peak, double peakToPeak, double crest,
      double kurtosis, double skewness) {
    double[] window = Stream.of(values.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    Features features = new FeatureExtractor(window.length, Double.NaN, List.of()).extract(window);
    assertThat(features.mean()).isCloseTo(mean, within(1e-12));
    assertThat(features.rms()).isCloseTo(rms, within(1e-12));
    assertThat(features.peak()).isEqualTo(peak);
    assertThat(features.peakToPeak()).isEqualTo(peakToPeak);
    assertThat(features.crestFactor()).isCloseTo(crest, within(1e-12));
    assertThat(features.kurtosis()).isCloseTo(kurtosis, within(1e-12));
    assertThat(features.skewness()).isCloseTo(skewness, within(1e-12));
  }

  @ParameterizedTest(name = "constant {0}")
  @CsvSource({"0", "0.1", "-7.3", "1e-150", "123456.789"})
  void aConstantWindowHasZeroShapeAndBandEnergiesNotNaN(double value) {
    double[] window = new double[1024];
    java.util.Arrays.fill(window, value);
    Features features = new FeatureExtractor(1024, 25_000, FrequencyBand.equalWidth(4, 25_000)).extract(window);
    assertThat(features.peakToPeak()).isZero();
    assertThat(features.skewness()).isZero();
    assertThat(features.kurtosis()).isZero();
    assertThat(features.bandEnergies()).containsExactly(0, 0, 0, 0);
    assertThat(features.crestFactor()).isEqualTo(value == 0 ? 0.0 : 1.0, within(1e-12));
    assertThat(features.mean()).isCloseTo(value, within(Math.abs(value) * 1e-12));
  }

  @Test
  void aNaNSampleMakesTheFeaturesNaN() {
    double[] window = {1, 2, Double.NaN, 4};
    Features features = new FeatureExtractor(4, 4, List.of(new FrequencyBand("all", 0, 2))).extract(window);
    assertThat(features.mean()).isNaN();
    assertThat(features.kurtosis()).isNaN();
    assertThat(features.bandEnergies()[0]).isNaN();
  }

  @Test
  void featuresCompareByValueIncludingBandEnergies() {
    Features a = new Features(1, 2, 3, 4, 5, 6, 7, new double[] {8, 9});
    Features b = new Features(1, 2, 3, 4, 5, 6, 7, new double[] {8, 9});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Features(1, 2, 3, 4, 5, 6, 7, new double[] {8, 10}));
    assertThat(a.toString()).contains("bandEnergies=[8.0, 9.0]");
  }
}
