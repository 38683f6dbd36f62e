package io.edgeai4j.training;

import io.edgeai4j.ingestion.simulator.VibrationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a deterministic set of {@link MachineScenario}s: for each class, {@code runsPerClass} runs whose shaft
 * speed, healthy vibration, load and fault severity are drawn from a {@link SplittableRandom} seeded with
 * {@code seed}. Faults step in at {@value #ONSET_SECONDS} s, so every run starts healthy. Immutable.
 *
 * @param seed Seeds the draw; distinct seeds give disjoint simulator seeds in practice (they are drawn too).
 * @param runsPerClass Runs per class, at least 1.
 * @param duration Each run's length, longer than the onset.
 */
public record ScenarioPlan(long seed, int runsPerClass, Duration duration) {
  /** When the fault of a faulty run appears. */
  public static final double ONSET_SECONDS = 2;
  /** Lowest and highest fault severity; drawn log-uniformly so that low severities are as common as high ones. */
  public static final double MIN_SEVERITY = 0.15;
  public static final double MAX_SEVERITY = 1.5;
  /** Range of shaft speeds, rev/min. */
  public static final double MIN_RPM = 1200;
  public static final double MAX_RPM = 3000;

  /** Validates. */
  public ScenarioPlan {
    if (runsPerClass < 1) {
      throw new IllegalArgumentException("runsPerClass must be at least 1, found " + runsPerClass);
    }
    if (duration == null || duration.toMillis() <= ONSET_SECONDS * 1000) {
      throw new IllegalArgumentException("duration must be longer than the onset (" + ONSET_SECONDS + " s), found "
          + duration);
    }
  }

  /** The runs, class by class in {@link FaultClass} order. */
  public List<MachineScenario> scenarios() {
    SplittableRandom random = new SplittableRandom(seed);
    List<MachineScenario> scenarios = new ArrayList<>();
    Duration onset = Duration.ofMillis((long) (ONSET_SECONDS * 1000));
    for (FaultClass fault : FaultClass.values()) {
      for (int i = 0; i < runsPerClass; i++) {
        long runSeed = random.nextLong();
        double severity = MIN_SEVERITY * Math.pow(MAX_SEVERITY / MIN_SEVERITY, random.nextDouble());
        double rpm = random.nextDouble(MIN_RPM, MAX_RPM);
        VibrationSettings d = VibrationSettings.DEFAULT;
        VibrationSettings vibration = new VibrationSettings(d.oneX() * random.nextDouble(0.8, 1.2),
            d.twoX() * random.nextDouble(0.8, 1.2), d.threeX() * random.nextDouble(0.8, 1.2),
            d.noiseRms() * random.nextDouble(0.8, 1.6), d.burstPeak(), d.resonanceHz());
        double load = random.nextDouble(0.3, 0.9);
        scenarios.add(new MachineScenario(runSeed, fault, severity, rpm, vibration, load, onset, duration));
      }
    }
    return scenarios;
  }
}
