package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.InvalidSettingException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.ingestion.source.SensorSourceProvider;
import io.edgeai4j.ingestion.source.SourceConfigException;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and validating the twin settings: defaults, the README's example, and every rule's error. */
class SimulatorSettingsTest {
  private final SimulatorSourceProvider provider = new SimulatorSourceProvider();

  @Test
  void anEmptyObjectGivesTheDocumentedDefaults() throws Exception {
    SimulatorSettings settings = provider.parse(Simulations.object("{}"));

    assertThat(settings.seed()).isEqualTo(1);
    assertThat(settings.sampleRateHz()).isEqualTo(10_000);
    assertThat(settings.block()).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.slowRateHz()).isEqualTo(1.0);
    assertThat(settings.rpm()).isEqualTo(1800.0);
    assertThat(settings.shaftHz()).isEqualTo(30.0);
    assertThat(settings.speed()).isEqualTo(1.0);
    assertThat(settings.duration()).isEmpty();
    assertThat(settings.sensors()).containsExactly("vibration", "temperature", "current");
    assertThat(settings.load()).isEqualTo(LoadProfile.DEFAULT);
    assertThat(settings.vibration()).isEqualTo(VibrationSettings.DEFAULT);
    assertThat(settings.bearing()).isEqualTo(BearingGeometry.DEFAULT);
    assertThat(settings.thermal()).isEqualTo(ThermalSettings.DEFAULT);
    assertThat(settings.current()).isEqualTo(MotorCurrentSettings.DEFAULT);
    assertThat(settings.faults()).isEmpty();
    assertThat(settings).isEqualTo(SimulatorSettings.defaults());
  }

  @Test
  void theReadmeExampleParsesToTypedValues() throws Exception {
    SimulatorSettings settings = provider.parse(Simulations.object("""
        {"seed": 42, "sampleRateHz": 12800, "blockMillis": 200, "slowRateHz": 2, "rpm": 1500, "speed": 10,
         "durationSeconds": 600, "vibrationSensor": "pumpVibration", "temperatureSensor": "pumpBearingTemp",
         "currentSensor": "pumpMotorCurrent",
         "load": {"mean": 0.6, "amplitude": 0.3, "periodSeconds": 300},
         "vibration": {"oneX": 0.4, "twoX": 0.1, "threeX": 0.04, "noiseRms": 0.08, "burstPeak": 4, "resonanceHz": 3500},
         "bearing": {"balls": 9, "ballDiameterMm": 7.94, "pitchDiameterMm": 39.04, "contactAngleDeg": 0},
         "thermal": {"ambientC": 22, "loadRiseC": 25, "timeConstantSeconds": 240, "noiseC": 0.1},
         "current": {"noLoadA": 3.5, "fullLoadA": 11, "noiseA": 0.05},
         "faults": {"bearingWear": {"kind": "outerRace", "onsetSeconds": 120, "growthSeconds": 300, "severity": 1.5},
                    "looseCoupling": {"kind": "misalignment", "onsetSeconds": 400, "severity": 0.5}}}
        """));

    assertThat(settings.block()).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.duration()).contains(Duration.ofMinutes(10));
    assertThat(settings.sensors()).containsExactly("pumpVibration", "pumpBearingTemp", "pumpMotorCurrent");
    assertThat(settings.load().period()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.thermal().timeConstant()).isEqualTo(Duration.ofMinutes(4));
    assertThat(settings.faults().keySet()).containsExactly("bearingWear", "looseCoupling");
    FaultSettings wear = settings.faults().get("bearingWear");
    assertThat(wear).isEqualTo(new FaultSettings(FaultKind.OUTER_RACE, Duration.ofMinutes(2), Duration.ofMinutes(5), 1.5));
    assertThat(settings.faults().get("looseCoupling").growth()).isZero();
    assertThat(settings.bearing().bpfo(25)).isCloseTo(4.5 * 25 * (1 - 7.94 / 39.04), org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void equalSettingsAreEqualWhateverTheOrderOfTheirFaults() throws Exception {
    SimulatorSettings a = provider.parse(Simulations.object(
        "{'faults': {'x': {'kind': 'imbalance'}, 'y': {'kind': 'innerRace', 'onsetSeconds': 5}}}"));
    SimulatorSettings b = provider.parse(Simulations.object(
        "{'faults': {'y': {'kind': 'innerRace', 'onsetSeconds': 5}, 'x': {'kind': 'imbalance'}}}"));
    SimulatorSettings c = provider.parse(Simulations.object(
        "{'faults': {'y': {'kind': 'innerRace', 'onsetSeconds': 6}, 'x': {'kind': 'imbalance'}}}"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {'sampleRateHz': 500}                                            | sampleRateHz                | between 1000 and 25000 Hz, found 500
      {'sampleRateHz': 30000}                                          | sampleRateHz                | found 30000
      {'sampleRateHz': 'fast'}                                         | sampleRateHz                | fast
      {'blockMillis': 5}                                               | blockMillis                 | between 10 and 10000, found 5
      {'slowRateHz': 0}                                                | slowRateHz                  | greater than 0 and at most 100, found 0
      {'rpm': 0}                                                       | rpm                         | greater than 0
      {'rpm': -1800}                                                   | rpm                         | found -1800
      {'sampleRateHz': 1000, 'rpm': 10000}                             | rpm                         | 3x the shaft frequency (500 Hz) must lie below the Nyquist frequency (500 Hz
      {'speed': 0}                                                     | speed                       | found 0
      {'speed': 5000}                                                  | speed                       | at most 1000, found 5000
      {'durationSeconds': 0}                                           | durationSeconds             | greater than 0
      {'vibrationSensor': ''}                                          | vibrationSensor             | 1 to 64 characters, found ''
      {'temperatureSensor': 'bearing.temp'}                            | temperatureSensor           | must not contain '.'
      {'currentSensor': 'temperature'}                                 | currentSensor               | found 'temperature' twice
      {'load': {'mean': 1.5}}                                          | load.mean                   | between 0 and 1, found 1.5
      {'load': {'mean': 0.9, 'amplitude': 0.2}}                        | load.amplitude              | within [0, 1], found mean 0.9 and amplitude 0.2
      {'load': {'periodSeconds': 0}}                                   | load.periodSeconds          | greater than 0
      {'vibration': {'noiseRms': -1}}                                  | vibration.noiseRms          | between 0 and 1000, found -1
      {'vibration': {'resonanceHz': 0}}                                | vibration.resonanceHz       | greater than 0
      {'bearing': {'balls': 2}}                                        | bearing.balls               | between 3 and 100, found 2
      {'bearing': {'ballDiameterMm': 40}}                              | bearing.ballDiameterMm      | smaller than pitchDiameterMm (39.04), found 40
      {'bearing': {'contactAngleDeg': 90}}                             | bearing.contactAngleDeg     | found 90
      {'thermal': {'timeConstantSeconds': 0}}                          | thermal.timeConstantSeconds | greater than 0
      {'current': {'noLoadA': 10, 'fullLoadA': 5}}                     | current.fullLoadA           | at least noLoadA (10), found 5
      {'faults': {'f1': {'kind': 'wobble'}}}                           | faults.f1.kind              | unknown fault kind 'wobble', expected one of [imbalance, misalignment, outerRace, innerRace]
      {'faults': {'f1': {}}}                                           | faults.f1.kind              | is missing, expected one of [imbalance, misalignment, outerRace, innerRace]
      {'faults': {'f1': {'kind': 'imbalance', 'onsetSeconds': -1}}}    | faults.f1.onsetSeconds      | between 0 and 10000000, found -1
      {'faults': {'f1': {'kind': 'imbalance', 'growthSeconds': -3}}}   | faults.f1.growthSeconds     | found -3
      {'faults': {'f1': {'kind': 'imbalance', 'severity': 0}}}         | faults.f1.severity          | greater than 0 and at most 10, found 0
      {'faults': {'f1': {'kind': 'imbalance', 'severity': 11}}}        | faults.f1.severity          | found 11
      {'faults': {'f1': {'kind': 'imbalance', 'onset': 3}}}            | faults.f1.onset             | Unrecognized field "onset"
      {'faults': {'f1': null}}                                         | faults.f1                   | is missing
      {'faults': {'f1': {'kind': 'imbalance'}, 'f2': {'kind': 'x'}}}   | faults.f2.kind              | unknown fault kind 'x'
      {'rpmm': 1800}                                                   | rpmm                        | Unrecognized field "rpmm"
      """)
  void aBadValueIsReportedWithItsPath(String json, String path, String reason) {
    assertThatThrownBy(() -> provider.parse(Simulations.object(json)))
        .isInstanceOfSatisfying(SourceConfigException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.reason()).contains(reason);
          assertThat(e.getMessage()).startsWith(path + ": ");
        });
  }

  @Test
  void theProviderIsFoundByServiceLoaderAsSimulator() {
    assertThat(ServiceLoader.load(SensorSourceProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.type().equals("simulator")).toList())
        .singleElement().isInstanceOf(SimulatorSourceProvider.class);
    assertThat(provider.description()).contains("rotating machine");
  }

  @Test
  void theProviderCreatesAnUnstartedSourceAndRejectsForeignSettings(@TempDir Path dir) {
    RecordingSourceContext context = new RecordingSourceContext("machine", dir);

    try (var source = provider.create(SimulatorSettings.defaults(), context)) {
      assertThat(source).isInstanceOf(SimulatorSource.class);
      assertThat(context.states()).isEmpty();
    }
    assertThatThrownBy(() -> provider.create(() -> java.util.Set.of("x"), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SimulatorSettings");
  }

  @Test
  void recordsBuiltInJavaAreValidatedToo() {
    assertThatThrownBy(() -> new FaultSettings(FaultKind.IMBALANCE, Duration.ofSeconds(-1), Duration.ZERO, 1))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.field()).isEqualTo("onsetSeconds"));
    assertThatThrownBy(() -> new SimulatorSettings(1, 10_000, Duration.ofMillis(100), 1, 1800, 1,
        Optional.of(Duration.ZERO), "v", "t", "c", LoadProfile.DEFAULT, VibrationSettings.DEFAULT,
        BearingGeometry.DEFAULT, ThermalSettings.DEFAULT, MotorCurrentSettings.DEFAULT, new java.util.TreeMap<>()))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.field()).isEqualTo("durationSeconds"));
  }
}
