package io.edgeai4j.signal;

/**
 * The taper applied to a window's samples (after removing their mean) before the FFT that gives band
 * energies.
 */
public enum SpectralWindow {
  /**
   * The periodic Hann window {@code w[n] = 0.5 - 0.5 cos(2 pi n / N)}: little leakage between bands, the usual
   * choice for vibration. Band energies then estimate the power of a stationary signal; they equal it exactly
   * for a sine whose whole main lobe lies in one band.
   */
  HANN,
  /** No taper ({@code w[n] = 1}): band energies sum exactly to the variance, but a sine leaks across bands. */
  RECTANGULAR;

  /** Fills {@code coefficients} with this window's {@code coefficients.length} weights. */
  void fill(double[] coefficients) {
    int n = coefficients.length;
    for (int i = 0; i < n; i++) {
      coefficients[i] = this == HANN ? 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n) : 1.0;
    }
  }
}
