package io.edgeai4j.ingestion.simulator;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The vibration of one bearing defect: a decaying resonance burst each time a rolling element passes
 * the defect, {@code a_k * exp(-zeta * w * tau) * sin(w * tau)} with {@code tau = t - t_k},
 * {@code w = 2 pi f_n}. The impact times {@code t_k = k / f_d + jitter} carry a small random jitter
 * (standard deviation {@value #JITTER} of the period, not accumulating) for the rolling elements' slip.
 * Stateful: asked for increasing times only. Not thread-safe.
 */
final class ImpulseTrain {
  /** Damping ratio of the resonance. */
  static final double DAMPING = 0.05;
  /** Standard deviation of an impact's time, as a fraction of the defect period. */
  static final double JITTER = 0.005;

  private final double defectHz;
  private final double omega;
  private final double decayPerSecond;
  private final double ringSeconds;
  private final Random jitter;
  private final double[] times;
  private final double[] amplitudes;
  private int oldest;
  private int live;
  private long nextImpact;
  private double nextTime;

  ImpulseTrain(double defectHz, double resonanceHz, Random jitter) {
    this.defectHz = defectHz;
    this.omega = 2 * Math.PI * resonanceHz;
    this.decayPerSecond = DAMPING * omega;
    this.ringSeconds = Math.log(1e4) / decayPerSecond;
    this.jitter = jitter;
    int capacity = (int) Math.ceil(ringSeconds * defectHz) + 4;
    this.times = new double[capacity];
    this.amplitudes = new double[capacity];
    this.nextTime = impactTime(0, Double.NEGATIVE_INFINITY);
  }

  /**
   * The vibration at {@code seconds}, not earlier than the last call's.
   *
   * @param amplitude The burst's peak for an impact at a given time (0: no burst).
   */
  double valueAt(double seconds, DoubleUnaryOperator amplitude) {
    while (nextTime <= seconds) {
      double a = amplitude.applyAsDouble(nextTime);
      if (a != 0) {
        add(nextTime, a);
      }
      nextImpact++;
      nextTime = impactTime(nextImpact, nextTime);
    }
    double sum = 0;
    for (int i = 0; i < live; i++) {
      int slot = (oldest + i) % times.length;
      double tau = seconds - times[slot];
      if (tau > ringSeconds) {
        continue;
      }
      sum += amplitudes[slot] * Math.exp(-decayPerSecond * tau) * Math.sin(omega * tau);
    }
    while (live > 0 && seconds - times[oldest] > ringSeconds) {
      oldest = (oldest + 1) % times.length;
      live--;
    }
    return sum;
  }

  private void add(double time, double amplitude) {
    if (live == times.length) {
      oldest = (oldest + 1) % times.length;
      live--;
    }
    int slot = (oldest + live) % times.length;
    times[slot] = time;
    amplitudes[slot] = amplitude;
    live++;
  }

  private double impactTime(long k, double previous) {
    double time = (k + JITTER * jitter.nextGaussian()) / defectHz;
    return Math.max(time, previous);
  }
}
