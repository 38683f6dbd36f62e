package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeai4j.ingestion.source.SourceSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settings of one simulated rotating machine, validated once here. Immutable, with value equality;
 * the README lists every field of the twin JSON with its unit, default and limits.
 *
 * @param seed Seeds every random signal; the same seed and settings give bit-identical output.
 * @param sampleRateHz Vibration sample rate, 1000 to 25000 Hz; default 10000.
 * @param block Length of one vibration block ({@code blockMillis}, 10 to 10000 ms); default 100 ms.
 * @param slowRateHz Rate of the temperature and current readings, in (0, 100] Hz; default 1.
 * @param rpm Shaft speed, revolutions per minute; 3x the shaft frequency must lie below the Nyquist
 *     frequency; default 1800.
 * @param speed How much faster than real time the source runs, in (0, 1000]; default 1.
 * @param duration How much simulated time the source produces before it reports FINISHED
 *     ({@code durationSeconds}); empty: until closed.
 * @param vibrationSensor Name of the vibration sensor; default {@code vibration}.
 * @param temperatureSensor Name of the temperature sensor; default {@code temperature}.
 * @param currentSensor Name of the motor-current sensor; default {@code current}.
 * @param load The load profile.
 * @param vibration Vibration amplitudes.
 * @param bearing The bearing's geometry.
 * @param thermal The temperature model.
 * @param current The motor-current model.
 * @param faults Scripted faults by name, sorted by name.
 */
public record SimulatorSettings(long seed, int sampleRateHz, Duration block, double slowRateHz, double rpm, double speed,
    Optional<Duration> duration, String vibrationSensor, String temperatureSensor, String currentSensor, LoadProfile load,
    VibrationSettings vibration, BearingGeometry bearing, ThermalSettings thermal, MotorCurrentSettings current,
    SortedMap<String, FaultSettings> faults) implements SourceSettings {
  /** The most faults one machine may script. */
  public static final int MAX_FAULTS = 32;
  /** Lowest and highest vibration sample rates. */
  public static final int MIN_SAMPLE_RATE_HZ = 1000;
  public static final int MAX_SAMPLE_RATE_HZ = 25_000;

  /** Validates and copies. */
  public SimulatorSettings {
    if (sampleRateHz < MIN_SAMPLE_RATE_HZ || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
      throw new InvalidSettingException("sampleRateHz", "must be between " + MIN_SAMPLE_RATE_HZ + " and "
          + MAX_SAMPLE_RATE_HZ + " Hz, found " + sampleRateHz);
    }
    Objects.requireNonNull(block, "block");
    if (block.toNanos() % 1_000_000 != 0 || block.toMillis() < 10 || block.toMillis() > 10_000) {
      throw new InvalidSettingException("blockMillis", "must be a whole number of milliseconds between 10 and 10000, found "
          + block.toNanos() / 1e6);
    }
    Require.positive("slowRateHz", slowRateHz, 1, 100);
    Require.positive("rpm", rpm, 1800, 600_000);
    double nyquist = sampleRateHz / 2.0;
    if (!(3 * rpm / 60 < nyquist)) {
      throw new InvalidSettingException("rpm", "3x the shaft frequency (" + Require.num(3 * rpm / 60)
          + " Hz) must lie below the Nyquist frequency (" + Require.num(nyquist) + " Hz at sampleRateHz "
          + sampleRateHz + "), found rpm " + Require.num(rpm));
    }
    Require.positive("speed", speed, 1, 1000);
    Objects.requireNonNull(duration, "duration");
    duration.ifPresent(d -> Require.positiveSeconds("durationSeconds", d.toNanos() / 1e9, 0));
    Set<String> names = new HashSet<>();
    for (String[] sensor : new String[][] {{"vibrationSensor", vibrationSensor}, {"temperatureSensor", temperatureSensor},
        {"currentSensor", currentSensor}}) {
      requireSensorName(sensor[0], sensor[1]);
      if (!names.add(sensor[1])) {
        throw new InvalidSettingException(sensor[0], "must differ from the other sensor names, found '" + sensor[1]
            + "' twice");
      }
    }
    Require.notNull("load", load);
    Require.notNull("vibration", vibration);
    Require.notNull("bearing", bearing);
    Require.notNull("thermal", thermal);
    Require.notNull("current", current);
    Require.notNull("faults", faults);
    if (faults.size() > MAX_FAULTS) {
      throw new InvalidSettingException("faults", "must name at most " + MAX_FAULTS + " faults, found " + faults.size());
    }
    for (Map.Entry<String, FaultSettings> fault : faults.entrySet()) {
      if (fault.getKey() == null || fault.getKey().isBlank()) {
        throw new InvalidSettingException("faults", "fault names must not be blank, found '" + fault.getKey() + "'");
      }
      Require.notNull("faults." + fault.getKey(), fault.getValue());
    }
    faults = Collections.unmodifiableSortedMap(new TreeMap<>(faults));
  }

  @JsonCreator
  static SimulatorSettings fromJson(@JsonProperty("seed") Long seed, @JsonProperty("sampleRateHz") Integer sampleRateHz,
      @JsonProperty("blockMillis") Long blockMillis, @JsonProperty("slowRateHz") Double slowRateHz,
      @JsonProperty("rpm") Double rpm, @JsonProperty("speed") Double speed,
      @JsonProperty("durationSeconds") Double durationSeconds, @JsonProperty("vibrationSensor") String vibrationSensor,
      @JsonProperty("temperatureSensor") String temperatureSensor, @JsonProperty("currentSensor") String currentSensor,
      @JsonProperty("load") LoadProfile load, @JsonProperty("vibration") VibrationSettings vibration,
      @JsonProperty("bearing") BearingGeometry bearing, @JsonProperty("thermal") ThermalSettings thermal,
      @JsonProperty("current") MotorCurrentSettings current, @JsonProperty("faults") Map<String, FaultSettings> faults) {
    long blockMs = blockMillis == null ? 100 : blockMillis;
    if (blockMs < 10 || blockMs > 10_000) {
      throw new InvalidSettingException("blockMillis", "must be between 10 and 10000, found " + blockMs);
    }
    return new SimulatorSettings(seed == null ? 1 : seed, sampleRateHz == null ? 10_000 : sampleRateHz,
        Duration.ofMillis(blockMs), VibrationSettings.or(slowRateHz, 1), VibrationSettings.or(rpm, 1800),
        VibrationSettings.or(speed, 1),
        durationSeconds == null ? Optional.empty()
            : Optional.of(Require.positiveSeconds("durationSeconds", durationSeconds, 0)),
        vibrationSensor == null ? "vibration" : vibrationSensor, temperatureSensor == null ? "temperature" : temperatureSensor,
        currentSensor == null ? "current" : currentSensor, load == null ? LoadProfile.DEFAULT : load,
        vibration == null ? VibrationSettings.DEFAULT : vibration, bearing == null ? BearingGeometry.DEFAULT : bearing,
        thermal == null ? ThermalSettings.DEFAULT : thermal, current == null ? MotorCurrentSettings.DEFAULT : current,
        new TreeMap<>(faults == null ? Map.of() : faults));
  }

  /** The default settings, as an empty settings object gives them. */
  public static SimulatorSettings defaults() {
    return fromJson(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The vibration, temperature and current sensors' names. */
  @Override
  public Set<String> sensors() {
    Set<String> sensors = new LinkedHashSet<>();
    sensors.add(vibrationSensor);
    sensors.add(temperatureSensor);
    sensors.add(currentSensor);
    return Collections.unmodifiableSet(sensors);
  }

  /** The shaft frequency f_r in Hz: {@code rpm / 60}. */
  public double shaftHz() {
    return rpm / 60;
  }

  private static void requireSensorName(String field, String name) {
    if (name == null || name.isBlank() || name.length() > 64) {
      throw new InvalidSettingException(field, "must be a name of 1 to 64 characters, found '" + name + "'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '$' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new InvalidSettingException(field, "must not contain '.', '$', spaces or control characters (twin keys "
            + "cannot), found '" + name + "'");
      }
    }
  }
}
