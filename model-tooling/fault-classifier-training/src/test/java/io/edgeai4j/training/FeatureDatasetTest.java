package io.edgeai4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.ingestion.simulator.VibrationSettings;
import io.edgeai4j.signal.FeatureExtractor;
import io.edgeai4j.signal.FrequencyBand;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Windows, labels and determinism of the generated data, and the plans' split by run. */
class FeatureDatasetTest {
  private static final Duration FOUR_SECONDS = Duration.ofSeconds(4);

  private static MachineScenario scenario(FaultClass fault, long seed) {
    return new MachineScenario(seed, fault, 1, 1800, VibrationSettings.DEFAULT, 0.7, Duration.ofSeconds(2),
        FOUR_SECONDS);
  }

  /**
   * 4 s at 5 kHz is 20000 samples: windows end at samples 2047, 3071, ..., 19455 (18 windows). The fault starts
   * at sample 10000, so windows ending before it are normal and the others carry the fault, as the ingestion
   * module labels a window with its last block.
   */
  @ParameterizedTest
  @EnumSource(FaultClass.class)
  void windowsSlideByTheHopAndTakeTheLabelOfTheirLastBlock(FaultClass fault) {
    List<LabelledWindow> rows = FeatureDataset.windows(7, scenario(fault, 11));
    assertThat(rows).hasSize(18).allMatch(row -> row.run() == 7);
    for (int w = 0; w < rows.size(); w++) {
      long lastSample = 2047 + 1024L * w;
      FaultClass expected = lastSample >= 10_000 ? fault : FaultClass.NORMAL;
      assertThat(rows.get(w).label()).as("window %d", w).isEqualTo(expected);
    }
  }

  @Test
  void featuresAreThoseOfTheSignalModulesExtractorInFieldOrder() {
    MachineScenario run = scenario(FaultClass.OUTER_RACE, 5);
    double[] samples = new double[2048];
    new io.edgeai4j.ingestion.simulator.MachineSimulator(run.settings(), java.time.Instant.EPOCH)
        .advanceTo(Duration.ofMillis(500), new io.edgeai4j.ingestion.simulator.MachineSimulator.Sink() {
          private int filled;

          @Override
          public void accept(io.edgeai4j.ingestion.source.SampleBlock block) {
            int n = Math.min(block.size(), samples.length - filled);
            System.arraycopy(block.values(), 0, samples, filled, n);
            filled += n;
          }

          @Override
          public void accept(io.edgeai4j.ingestion.source.Reading reading) {}
        });
    var features = new FeatureExtractor(2048, 5000, FrequencyBand.equalWidth(4, 5000)).extract(samples);
    double[] expected = {features.rms(), features.peak(), features.peakToPeak(), features.crestFactor(),
        features.kurtosis(), features.skewness(), features.bandEnergies()[0], features.bandEnergies()[1],
        features.bandEnergies()[2], features.bandEnergies()[3]};
    assertThat(FeatureDataset.windows(0, run).get(0).features()).containsExactly(expected);
  }

  @Test
  void theSameScenariosGiveTheSameRowsInTheSameOrder() {
    List<MachineScenario> scenarios = new ScenarioPlan(9, 2, FOUR_SECONDS).scenarios();
    List<LabelledWindow> first = FeatureDataset.generate(scenarios);
    List<LabelledWindow> second = FeatureDataset.generate(scenarios);
    assertThat(first).hasSize(10 * 18);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).run()).isEqualTo(first.get(i).run());
      assertThat(second.get(i).label()).isEqualTo(first.get(i).label());
      assertThat(second.get(i).features()).containsExactly(first.get(i).features());
    }
    assertThat(first).extracting(LabelledWindow::run).isSorted();
  }

  @Test
  void plansDrawBalancedRunsWithinTheirRangesAndTrainAndTestShareNoRun() {
    List<MachineScenario> train = TrainingRecipe.TRAIN.scenarios();
    List<MachineScenario> test = TrainingRecipe.TEST.scenarios();
    assertThat(train).hasSize(200);
    assertThat(test).hasSize(50);
    for (FaultClass c : FaultClass.values()) {
      assertThat(train).filteredOn(s -> s.fault() == c).hasSize(40);
    }
    for (MachineScenario s : train) {
      assertThat(s.severity()).isBetween(ScenarioPlan.MIN_SEVERITY, ScenarioPlan.MAX_SEVERITY);
      assertThat(s.rpm()).isBetween(ScenarioPlan.MIN_RPM, ScenarioPlan.MAX_RPM);
    }
    assertThat(train).filteredOn(s -> s.severity() < 0.3).hasSizeGreaterThan(20);
    Set<Long> trainSeeds = new HashSet<>();
    train.forEach(s -> trainSeeds.add(s.seed()));
    assertThat(test).noneMatch(s -> trainSeeds.contains(s.seed()));
    assertThat(new ScenarioPlan(1, 40, Duration.ofSeconds(12)).scenarios()).isEqualTo(train);
  }

  @Test
  void badPlansAndScenariosAreRefusedWithTheValueFound() {
    assertThatThrownBy(() -> new ScenarioPlan(1, 0, FOUR_SECONDS)).hasMessageContaining("found 0");
    assertThatThrownBy(() -> new ScenarioPlan(1, 1, Duration.ofSeconds(1))).hasMessageContaining("found PT1S");
    assertThatThrownBy(() -> new MachineScenario(1, FaultClass.IMBALANCE, 0, 1800, VibrationSettings.DEFAULT, 0.5,
        Duration.ZERO, FOUR_SECONDS)).hasMessageContaining("severity").hasMessageContaining("found 0");
    assertThatThrownBy(() -> FaultClass.fromLabel("imbalance+outerRace"))
        .hasMessageContaining("'imbalance+outerRace'");
  }
}
