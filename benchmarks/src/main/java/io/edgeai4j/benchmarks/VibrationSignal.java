package io.edgeai4j.benchmarks;

import java.util.Random;

/**
 * A deterministic, realistic-looking vibration signal of a rotating machine: shaft frequency and two
 * harmonics, a 3.2 kHz structural resonance excited at the bearing's outer-race defect frequency, a
 * gear-mesh tone, and broadband Gaussian noise.
 */
final class VibrationSignal {
  private VibrationSignal() {}

  /**
   * Returns {@code length} samples at {@code sampleRateHz}, in m/s^2.
   *
   * @param seed The noise seed: the same seed gives the same samples.
   */
  static double[] generate(int length, double sampleRateHz, long seed) {
    Random noise = new Random(seed);
    double shaftHz = 29.5;
    double outerRaceHz = 3.57 * shaftHz;
    double resonanceHz = 3200;
    double gearMeshHz = 41 * shaftHz;
    double[] samples = new double[length];
    for (int i = 0; i < length; i++) {
      double t = i / sampleRateHz;
      double shaft = 1.0 * Math.sin(2 * Math.PI * shaftHz * t)
          + 0.4 * Math.sin(2 * Math.PI * 2 * shaftHz * t + 0.3)
          + 0.2 * Math.sin(2 * Math.PI * 3 * shaftHz * t + 1.1);
      double bearing = 0.3 * (1 + Math.sin(2 * Math.PI * outerRaceHz * t)) * Math.sin(2 * Math.PI * resonanceHz * t);
      double gearMesh = 0.25 * Math.sin(2 * Math.PI * gearMeshHz * t);
      samples[i] = shaft + bearing + gearMesh + 0.2 * noise.nextGaussian();
    }
    return samples;
  }
}
