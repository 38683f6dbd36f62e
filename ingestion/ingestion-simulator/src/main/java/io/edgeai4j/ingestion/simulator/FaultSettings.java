package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * One scripted fault: from {@code onset} (simulated time since the start) its severity grows linearly
 * from 0 to {@code severity} over {@code growth}, then stays. Faults do not heal. Immutable.
 *
 * @param kind What fails.
 * @param onset When the fault appears; samples from this time on carry its label.
 * @param growth How long the severity takes to reach its final value; zero for a step.
 * @param severity The final severity, in (0, 10]; 1 is a clearly developed fault (see the README's table).
 */
public record FaultSettings(FaultKind kind, Duration onset, Duration growth, double severity) {
  /** The largest severity accepted. */
  public static final double MAX_SEVERITY = 10;

  /** Validates. */
  public FaultSettings {
    requireKind(kind);
    Objects.requireNonNull(onset, "onset");
    Objects.requireNonNull(growth, "growth");
    Require.seconds("onsetSeconds", onset.toNanos() / 1e9, 0, 0);
    Require.seconds("growthSeconds", growth.toNanos() / 1e9, 0, 0);
    Require.positive("severity", severity, 1, MAX_SEVERITY);
  }

  @JsonCreator
  static FaultSettings fromJson(@JsonProperty("kind") FaultKind kind, @JsonProperty("onsetSeconds") Double onsetSeconds,
      @JsonProperty("growthSeconds") Double growthSeconds, @JsonProperty("severity") Double severity) {
    requireKind(kind);
    return new FaultSettings(kind, Require.seconds("onsetSeconds", onsetSeconds, 0, 0),
        Require.seconds("growthSeconds", growthSeconds, 0, 0), Require.positive("severity", severity, 1, MAX_SEVERITY));
  }

  private static void requireKind(FaultKind kind) {
    if (kind == null) {
      throw new InvalidSettingException("kind", "is missing, expected one of " + FaultKind.labels());
    }
  }

  /** The severity at {@code seconds} of simulated time: 0 before the onset, then the linear ramp. */
  public double severityAt(double seconds) {
    double since = seconds - onset.toNanos() / 1e9;
    if (since < 0) {
      return 0;
    }
    double growthSeconds = growth.toNanos() / 1e9;
    return growthSeconds <= 0 || since >= growthSeconds ? severity : severity * since / growthSeconds;
  }
}
