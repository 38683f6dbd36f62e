package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * The machine's load over simulated time, in [0, 1] of its rating:
 * {@code load(t) = mean + amplitude * sin(2 pi t / period)}; constant when the amplitude is 0. Immutable.
 *
 * @param mean The mean load, in [0, 1]; default 0.7.
 * @param amplitude The swing around the mean, at least 0, with {@code mean +- amplitude} inside [0, 1]; default 0.
 * @param period The period of the swing; default 600 s.
 */
public record LoadProfile(double mean, double amplitude, Duration period) {
  /** The default: a constant 70 % load. */
  public static final LoadProfile DEFAULT = new LoadProfile(0.7, 0, Duration.ofMinutes(10));

  /** Validates. */
  public LoadProfile {
    Objects.requireNonNull(period, "period");
    Require.between("mean", mean, 0.7, 0, 1);
    Require.between("amplitude", amplitude, 0, 0, 0.5);
    if (mean - amplitude < -1e-12 || mean + amplitude > 1 + 1e-12) {
      throw new InvalidSettingException("amplitude", "mean +- amplitude must stay within [0, 1], found mean "
          + Require.num(mean) + " and amplitude " + Require.num(amplitude));
    }
    Require.positiveSeconds("periodSeconds", period.toNanos() / 1e9, 600);
  }

  @JsonCreator
  static LoadProfile fromJson(@JsonProperty("mean") Double mean, @JsonProperty("amplitude") Double amplitude,
      @JsonProperty("periodSeconds") Double periodSeconds) {
    return new LoadProfile(Require.between("mean", mean, 0.7, 0, 1), Require.between("amplitude", amplitude, 0, 0, 0.5),
        Require.positiveSeconds("periodSeconds", periodSeconds, 600));
  }

  /** The load at {@code seconds} of simulated time. */
  public double at(double seconds) {
    if (amplitude == 0) {
      return mean;
    }
    double load = mean + amplitude * Math.sin(2 * Math.PI * seconds / (period.toNanos() / 1e9));
    return Math.min(1, Math.max(0, load));
  }
}
