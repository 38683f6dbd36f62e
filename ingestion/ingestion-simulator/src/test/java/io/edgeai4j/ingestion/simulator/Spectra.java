package io.edgeai4j.ingestion.simulator;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/** Spectra computed with JTransforms, for checking the simulator's signals. */
final class Spectra {
  static {
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private Spectra() {}

  /**
   * The one-sided amplitude spectrum of a real signal: {@code result[k]} is the amplitude of the sine
   * at {@code k * rate / n} Hz (a sine of amplitude A on a bin gives A).
   */
  static double[] amplitudes(double[] signal) {
    int n = signal.length;
    double[] a = Arrays.copyOf(signal, n);
    new DoubleFFT_1D(n).realForward(a);
    double[] amplitude = new double[n / 2];
    amplitude[0] = Math.abs(a[0]) / n;
    for (int k = 1; k < n / 2; k++) {
      amplitude[k] = 2 * Math.hypot(a[2 * k], a[2 * k + 1]) / n;
    }
    return amplitude;
  }

  /**
   * The envelope of the signal band-passed to [lowHz, highHz]: the magnitude of the analytic signal
   * (Hilbert transform) made from those bins only.
   */
  static double[] envelope(double[] signal, double rate, double lowHz, double highHz) {
    int n = signal.length;
    double[] z = new double[2 * n];
    for (int i = 0; i < n; i++) {
      z[2 * i] = signal[i];
    }
    DoubleFFT_1D fft = new DoubleFFT_1D(n);
    fft.complexForward(z);
    for (int k = 0; k < n; k++) {
      double hz = k * rate / n;
      boolean keep = k > 0 && k < n / 2 && hz >= lowHz && hz <= highHz;
      double gain = keep ? 2 : 0;
      z[2 * k] *= gain;
      z[2 * k + 1] *= gain;
    }
    fft.complexInverse(z, true);
    double[] envelope = new double[n];
    for (int i = 0; i < n; i++) {
      envelope[i] = Math.hypot(z[2 * i], z[2 * i + 1]);
    }
    return envelope;
  }

  /** The amplitude spectrum of the envelope, without its mean. */
  static double[] envelopeSpectrum(double[] signal, double rate, double lowHz, double highHz) {
    double[] envelope = envelope(signal, rate, lowHz, highHz);
    double mean = Arrays.stream(envelope).average().orElse(0);
    for (int i = 0; i < envelope.length; i++) {
      envelope[i] -= mean;
    }
    return amplitudes(envelope);
  }

  /** The largest amplitude within {@code +-toleranceHz} of {@code hz}. */
  static double peakNear(double[] spectrum, double binHz, double hz, double toleranceHz) {
    int from = Math.max(1, (int) Math.floor((hz - toleranceHz) / binHz));
    int to = Math.min(spectrum.length - 1, (int) Math.ceil((hz + toleranceHz) / binHz));
    double peak = 0;
    for (int k = from; k <= to; k++) {
      peak = Math.max(peak, spectrum[k]);
    }
    return peak;
  }

  /** The median amplitude between two frequencies: the floor that peaks are measured against. */
  static double medianBetween(double[] spectrum, double binHz, double lowHz, double highHz) {
    double[] band = Arrays.copyOfRange(spectrum, (int) Math.ceil(lowHz / binHz), (int) Math.floor(highHz / binHz) + 1);
    Arrays.sort(band);
    return band[band.length / 2];
  }
}
