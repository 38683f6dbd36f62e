package io.edgeai4j.ingestion.simulator;

import static io.edgeai4j.ingestion.simulator.Spectra.amplitudes;
import static io.edgeai4j.ingestion.simulator.Spectra.envelopeSpectrum;
import static io.edgeai4j.ingestion.simulator.Spectra.medianBetween;
import static io.edgeai4j.ingestion.simulator.Spectra.peakNear;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vibration spectrum shows what a fault classifier looks for: the shaft frequency and harmonics, 1x
 * growing with imbalance, 2x with misalignment, and bearing-defect frequencies in the envelope spectrum.
 * Two seconds at 10 kHz: 0.5 Hz bins, so the shaft harmonics fall on bins.
 */
class SpectrumTest {
  private static final int RATE = 10_000;
  private static final double SECONDS = 2;
  private static final double BIN_HZ = 1 / SECONDS;
  private static final double SHAFT_HZ = 30;
  /** BPFO and BPFI of the default 6205 bearing at 30 Hz. */
  private static final double BPFO = 4.5 * SHAFT_HZ * (1 - 7.94 / 39.04);
  private static final double BPFI = 4.5 * SHAFT_HZ * (1 + 7.94 / 39.04);

  @ParameterizedTest(name = "{0} rpm peaks at {1} Hz")
  @CsvSource({"900, 15", "1800, 30", "3000, 50", "6000, 100"})
  void healthyMachinePeaksAtTheShaftFrequency(double rpm, double shaftHz) {
    double[] spectrum = amplitudes(vibration("'rpm': " + rpm));

    assertThat(argMax(spectrum) * BIN_HZ).isEqualTo(shaftHz);
    assertThat(spectrum[bin(shaftHz)]).isCloseTo(0.5, within(0.02));
    assertThat(spectrum[bin(2 * shaftHz)]).isCloseTo(0.15, within(0.02));
    assertThat(spectrum[bin(3 * shaftHz)]).isCloseTo(0.05, within(0.02));
  }

  @Test
  void healthyMachineHasNoBearingDefectLinesInItsEnvelope() {
    double[] envelope = envelopeSpectrum(vibration(""), RATE, 2000, 4000);
    double floor = medianBetween(envelope, BIN_HZ, 5, 500);

    assertThat(peakNear(envelope, BIN_HZ, BPFO, 1)).isLessThan(5 * floor);
    assertThat(peakNear(envelope, BIN_HZ, BPFI, 1)).isLessThan(5 * floor);
  }

  @ParameterizedTest(name = "imbalance of severity {0} makes 1x {1} m/s^2")
  @CsvSource({"0.25, 1.0", "0.5, 1.5", "1, 2.5", "2, 4.5"})
  void imbalanceRaisesTheOneXAmplitudeAsDocumented(double severity, double expectedOneX) {
    double[] spectrum = amplitudes(vibration(fault("imbalance", severity)));

    assertThat(spectrum[bin(SHAFT_HZ)]).isCloseTo(expectedOneX, within(0.03 * expectedOneX));
    assertThat(spectrum[bin(2 * SHAFT_HZ)]).as("2x unchanged").isCloseTo(0.15, within(0.02));
  }

  @ParameterizedTest(name = "misalignment of severity {0}: 1x {1}, 2x {2}, 3x {3} m/s^2")
  @CsvSource({"0.5, 0.625, 0.75, 0.15", "1, 0.75, 1.35, 0.25", "2, 1.0, 2.55, 0.45"})
  void misalignmentRaisesTwoXMostOfAll(double severity, double oneX, double twoX, double threeX) {
    double[] spectrum = amplitudes(vibration(fault("misalignment", severity)));

    assertThat(spectrum[bin(SHAFT_HZ)]).isCloseTo(oneX, within(0.03 * oneX));
    assertThat(spectrum[bin(2 * SHAFT_HZ)]).isCloseTo(twoX, within(0.03 * twoX));
    assertThat(spectrum[bin(3 * SHAFT_HZ)]).isCloseTo(threeX, within(0.03 * threeX + 0.01));
    assertThat(spectrum[bin(2 * SHAFT_HZ)] / spectrum[bin(SHAFT_HZ)]).as("2x/1x, healthy 0.3").isGreaterThan(1);
  }

  @Test
  void outerRaceFaultShowsBpfoAndItsHarmonicsInTheEnvelope() {
    double[] signal = vibration(fault("outerRace", 1));
    double[] envelope = envelopeSpectrum(signal, RATE, 2000, 4000);
    double floor = medianBetween(envelope, BIN_HZ, 5, 500);

    for (int harmonic = 1; harmonic <= 3; harmonic++) {
      assertThat(peakNear(envelope, BIN_HZ, harmonic * BPFO, 1)).as("%d x BPFO", harmonic).isGreaterThan(20 * floor);
    }
    assertThat(peakNear(envelope, BIN_HZ, BPFI, 1)).as("BPFI").isLessThan(5 * floor);
    assertThat(argMax(envelope, 5) * BIN_HZ).as("strongest envelope line").isCloseTo(BPFO, within(1.0));
    assertThat(amplitudes(signal)[bin(SHAFT_HZ)]).as("1x unchanged").isCloseTo(0.5, within(0.03));
  }

  @Test
  void innerRaceFaultShowsBpfiWithShaftSidebandsInTheEnvelope() {
    double[] envelope = envelopeSpectrum(vibration(fault("innerRace", 1)), RATE, 2000, 4000);
    double floor = medianBetween(envelope, BIN_HZ, 5, 500);

    assertThat(peakNear(envelope, BIN_HZ, BPFI, 1)).as("BPFI").isGreaterThan(20 * floor);
    assertThat(peakNear(envelope, BIN_HZ, 2 * BPFI, 1)).as("2 x BPFI").isGreaterThan(10 * floor);
    assertThat(peakNear(envelope, BIN_HZ, BPFI - SHAFT_HZ, 1)).as("BPFI - f_r").isGreaterThan(10 * floor);
    assertThat(peakNear(envelope, BIN_HZ, BPFI + SHAFT_HZ, 1)).as("BPFI + f_r").isGreaterThan(10 * floor);
    assertThat(peakNear(envelope, BIN_HZ, BPFO, 1)).as("BPFO").isLessThan(5 * floor);
  }

  @ParameterizedTest(name = "at {0} Hz the bursts ring near {1} Hz")
  @CsvSource({"2000, 800", "5000, 2000", "10000, 3000", "25000, 3000"})
  void burstsRingAtTheResonanceKeptBelowNyquist(int rate, double resonanceHz) {
    double[] signal = Simulations.run(Simulations.settings("{'sampleRateHz': " + rate + ", "
        + fault("outerRace", 1) + "}"), SECONDS).vibration();
    double[] spectrum = amplitudes(signal);

    // 3000 Hz as configured, or 0.4 x the sample rate when that is lower; the strongest burst energy is
    // on the BPFO harmonic nearest to it (harmonics are 107.5 Hz apart).
    assertThat(argMax(spectrum, 300) * BIN_HZ).isCloseTo(resonanceHz, within(100.0));
  }

  private static double[] vibration(String settings) {
    String json = "{'sampleRateHz': " + RATE + (settings.isEmpty() ? "" : ", " + settings) + "}";
    double[] signal = Simulations.run(Simulations.settings(json), SECONDS).vibration();
    assertThat(signal).hasSize((int) (RATE * SECONDS));
    return signal;
  }

  private static String fault(String kind, double severity) {
    return "'faults': {'f1': {'kind': '" + kind + "', 'severity': " + severity + "}}";
  }

  private static int bin(double hz) {
    return (int) Math.round(hz / BIN_HZ);
  }

  private static int argMax(double[] spectrum) {
    return argMax(spectrum, 0);
  }

  private static int argMax(double[] spectrum, double fromHz) {
    int best = Math.max(1, bin(fromHz));
    for (int k = best; k < spectrum.length; k++) {
      if (spectrum[k] > spectrum[best]) {
        best = k;
      }
    }
    return best;
  }
}
