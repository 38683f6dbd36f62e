package io.edgeai4j.training;

import io.edgeai4j.ingestion.simulator.BearingGeometry;
import io.edgeai4j.ingestion.simulator.FaultSettings;
import io.edgeai4j.ingestion.simulator.LoadProfile;
import io.edgeai4j.ingestion.simulator.MotorCurrentSettings;
import io.edgeai4j.ingestion.simulator.SimulatorSettings;
import io.edgeai4j.ingestion.simulator.ThermalSettings;
import io.edgeai4j.ingestion.simulator.VibrationSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One simulated run: a machine (shaft speed, healthy vibration, load) with at most one fault that appears as a
 * step at {@code onset}. Immutable; validated here and again by {@link SimulatorSettings}.
 *
 * @param seed The simulator's seed (noise and bearing jitter).
 * @param fault The fault from {@code onset} on; {@link FaultClass#NORMAL} for a healthy run.
 * @param severity The fault's severity (ignored for a healthy run), in (0, 10].
 * @param rpm Shaft speed.
 * @param vibration The healthy machine's vibration amplitudes and noise.
 * @param loadMean The mean load, in [0, 1] (load moves temperature and current, not vibration).
 * @param onset When the fault appears, from the start of the run.
 * @param duration The run's length.
 */
public record MachineScenario(long seed, FaultClass fault, double severity, double rpm, VibrationSettings vibration,
    double loadMean, Duration onset, Duration duration) {
  /** The vibration sample rate of the demo pipeline. */
  public static final int SAMPLE_RATE_HZ = 5000;

  /** Validates. */
  public MachineScenario {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(vibration, "vibration");
    Objects.requireNonNull(onset, "onset");
    Objects.requireNonNull(duration, "duration");
    if (fault != FaultClass.NORMAL && !(severity > 0 && severity <= FaultSettings.MAX_SEVERITY)) {
      throw new IllegalArgumentException("severity must be in (0, " + FaultSettings.MAX_SEVERITY + "], found " + severity);
    }
    if (onset.isNegative() || onset.compareTo(duration) >= 0) {
      throw new IllegalArgumentException("onset must be in [0, duration " + duration + "), found " + onset);
    }
  }

  /** The simulator settings of this run: 5 kHz vibration in 100 ms blocks, ending after {@code duration}. */
  public SimulatorSettings settings() {
    SortedMap<String, FaultSettings> faults = new TreeMap<>();
    fault.kind().ifPresent(kind -> faults.put("fault", new FaultSettings(kind, onset, Duration.ZERO, severity)));
    return new SimulatorSettings(seed, SAMPLE_RATE_HZ, Duration.ofMillis(100), 1, rpm, 1, Optional.of(duration),
        "vibration", "temperature", "current", new LoadProfile(loadMean, 0, Duration.ofMinutes(10)), vibration,
        BearingGeometry.DEFAULT, ThermalSettings.DEFAULT, MotorCurrentSettings.DEFAULT, faults);
  }
}
