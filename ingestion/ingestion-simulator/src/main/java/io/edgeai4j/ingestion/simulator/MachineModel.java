package io.edgeai4j.ingestion.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The physics of the simulated machine, sample by sample, with no notion of wall-clock time, threads or
 * messages. Each random signal has its own {@link Random}, seeded from the settings' seed, so that the
 * vibration does not change when the slow signals are read at another rate and vice versa;
 * {@code java.util.Random}'s algorithms are specified, so the output is the same on every JVM.
 *
 * <p>Stateful: vibration samples and slow samples are each asked for in order, without gaps. Not
 * thread-safe; one thread at a time.
 */
public final class MachineModel {
  /** What a fault of severity 1 does; effects grow linearly with the severity. */
  record Effect(double oneXGain, double twoXGain, double threeXGain, double heatingC, double currentGain) {}

  /** The effects of each kind at severity 1 (documented in the README). */
  static final Map<FaultKind, Effect> EFFECTS = new EnumMap<>(Map.of(
      FaultKind.IMBALANCE, new Effect(4, 0, 0, 2, 0.02),
      FaultKind.MISALIGNMENT, new Effect(0.5, 8, 4, 6, 0.08),
      FaultKind.OUTER_RACE, new Effect(0, 0, 0, 4, 0.01),
      FaultKind.INNER_RACE, new Effect(0, 0, 0, 6, 0.02)));

  /** Phases of the 2x and 3x sines relative to 1x, in radians. */
  private static final double TWO_X_PHASE = Math.PI / 3;
  private static final double THREE_X_PHASE = Math.PI / 5;

  private final SimulatorSettings settings;
  private final FaultScript script;
  private final double shaftHz;
  private final Random vibrationNoise;
  private final Random temperatureNoise;
  private final Random currentNoise;
  private final ImpulseTrain outerRace;
  private final ImpulseTrain innerRace;
  private final DoubleUnaryOperator outerRaceBurst;
  private final DoubleUnaryOperator innerRaceBurst;
  private long nextSample;
  private long nextSlowSample;
  private double temperature = Double.NaN;
  private double heldTarget;
  private double lastSlowSeconds;

  /** Creates the model at simulated time 0. */
  public MachineModel(SimulatorSettings settings) {
    this.settings = settings;
    this.script = new FaultScript(settings.faults().values());
    this.shaftHz = settings.shaftHz();
    SplittableRandom seeds = new SplittableRandom(settings.seed());
    this.vibrationNoise = new Random(seeds.nextLong());
    this.temperatureNoise = new Random(seeds.nextLong());
    this.currentNoise = new Random(seeds.nextLong());
    long outerSeed = seeds.nextLong();
    long innerSeed = seeds.nextLong();
    double resonanceHz = settings.vibration().resonanceHzAt(settings.sampleRateHz());
    this.outerRace = new ImpulseTrain(settings.bearing().bpfo(shaftHz), resonanceHz, new Random(outerSeed));
    this.innerRace = new ImpulseTrain(settings.bearing().bpfi(shaftHz), resonanceHz, new Random(innerSeed));
    double burstPeak = settings.vibration().burstPeak();
    this.outerRaceBurst = tk -> burstPeak * script.severityAt(FaultKind.OUTER_RACE, tk);
    this.innerRaceBurst = tk -> burstPeak * script.severityAt(FaultKind.INNER_RACE, tk)
        * 0.5 * (1 + Math.cos(2 * Math.PI * fraction(shaftHz * tk)));
  }

  /** The script of this model's faults. */
  public FaultScript script() {
    return script;
  }

  /**
   * Fills {@code out} with the vibration samples from {@code firstSample} on, in m/s^2.
   *
   * @param firstSample Index of the first sample (time {@code firstSample / sampleRateHz}); must follow the
   *     last sample of the previous call.
   */
  public void vibration(long firstSample, double[] out) {
    if (firstSample != nextSample) {
      throw new IllegalStateException("vibration sample " + firstSample + " asked for, expected " + nextSample);
    }
    VibrationSettings v = settings.vibration();
    double rate = settings.sampleRateHz();
    for (int i = 0; i < out.length; i++) {
      long n = firstSample + i;
      double t = n / rate;
      double imbalance = script.severityAt(FaultKind.IMBALANCE, t);
      double misalignment = script.severityAt(FaultKind.MISALIGNMENT, t);
      double oneX = v.oneX() * (1 + gain(FaultKind.IMBALANCE, imbalance, Effect::oneXGain)
          + gain(FaultKind.MISALIGNMENT, misalignment, Effect::oneXGain));
      double twoX = v.twoX() * (1 + gain(FaultKind.MISALIGNMENT, misalignment, Effect::twoXGain));
      double threeX = v.threeX() * (1 + gain(FaultKind.MISALIGNMENT, misalignment, Effect::threeXGain));
      double cycles = shaftHz * n / rate;
      double value = oneX * sinCycles(cycles) + twoX * sinCycles(2 * cycles + TWO_X_PHASE / (2 * Math.PI))
          + threeX * sinCycles(3 * cycles + THREE_X_PHASE / (2 * Math.PI));
      value += outerRace.valueAt(t, outerRaceBurst);
      value += innerRace.valueAt(t, innerRaceBurst);
      value += v.noiseRms() * vibrationNoise.nextGaussian();
      out[i] = value;
    }
    nextSample = firstSample + out.length;
  }

  /**
   * The temperature (degrees Celsius) and motor current (A) of slow sample {@code index}, taken at
   * {@code seconds} of simulated time.
   *
   * @param index The slow sample's index; must be the previous call's plus one (0 first).
   */
  public SlowSample slow(long index, double seconds) {
    if (index != nextSlowSample) {
      throw new IllegalStateException("slow sample " + index + " asked for, expected " + nextSlowSample);
    }
    double load = settings.load().at(seconds);
    Map<FaultKind, Double> severities = script.severitiesAt(seconds);
    double heating = 0;
    double currentGain = 0;
    for (Map.Entry<FaultKind, Double> severity : severities.entrySet()) {
      heating += EFFECTS.get(severity.getKey()).heatingC() * severity.getValue();
      currentGain += EFFECTS.get(severity.getKey()).currentGain() * severity.getValue();
    }
    ThermalSettings thermal = settings.thermal();
    if (index == 0) {
      temperature = thermal.ambientC() + thermal.loadRiseC() * load + heating;
    } else {
      // Exact for a target held constant since the previous sample (zero-order hold).
      double decay = Math.exp(-(seconds - lastSlowSeconds) / (thermal.timeConstant().toNanos() / 1e9));
      temperature = heldTarget + (temperature - heldTarget) * decay;
    }
    heldTarget = thermal.ambientC() + thermal.loadRiseC() * load + heating;
    lastSlowSeconds = seconds;
    nextSlowSample = index + 1;
    MotorCurrentSettings motor = settings.current();
    double current = (motor.noLoadA() + (motor.fullLoadA() - motor.noLoadA()) * load) * (1 + currentGain);
    return new SlowSample(temperature + thermal.noiseC() * temperatureNoise.nextGaussian(),
        current + motor.noiseA() * currentNoise.nextGaussian(), load);
  }

  /**
   * One slow sample.
   *
   * @param temperatureC The measured temperature, degrees Celsius.
   * @param currentA The measured motor current, A.
   * @param load The load at the time, in [0, 1].
   */
  public record SlowSample(double temperatureC, double currentA, double load) {}

  private static double gain(FaultKind kind, double severity, ToDoubleFunction<Effect> effect) {
    return severity == 0 ? 0 : effect.applyAsDouble(EFFECTS.get(kind)) * severity;
  }

  /** sin(2 pi x), with x reduced to [0, 1) first so that phases stay exact over long runs. */
  private static double sinCycles(double cycles) {
    return Math.sin(2 * Math.PI * fraction(cycles));
  }

  private static double fraction(double cycles) {
    return cycles - Math.floor(cycles);
  }
}
