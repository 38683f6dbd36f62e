package io.edgeai4j.train.vibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.ingestion.simulator.MachineSimulator;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.train.fit.LabelledRows;
import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.MachineScenario;
import io.edgeai4j.training.ScenarioPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Raw windows of simulated runs: the simulator's own samples, cut and labelled as sensor-ingestion cuts them. */
class VibrationWindowsTest {
  /** 4 s runs (20,000 samples at 5 kHz), fault onset at 2 s (sample 10,000). */
  static final ScenarioPlan PLAN = new ScenarioPlan(31, 1, Duration.ofSeconds(4));

  /**
   * Windows of 4096 every 2048 end at samples 4095 + 2048k (8 in 20,000); a faulty run's windows are normal until the
   * one whose last block is the fault's (ending at 10,239), and the two that hold sample 10,000 straddle the onset;
   * each window's values are the simulator's samples from its start to its end.
   */
  @ParameterizedTest
  @EnumSource(FaultClass.class)
  void windowsAreTheSimulatorsSamplesLabelledByTheirLastBlock(FaultClass fault) {
    MachineScenario scenario = PLAN.scenarios().get(fault.ordinal());
    assertThat(scenario.fault()).isEqualTo(fault);
    List<RawWindow> windows = VibrationWindows.windows(7, scenario, 4096, 2048);
    double[] samples = samples(scenario);
    assertThat(samples).hasSize(20_000);
    assertThat(windows).hasSize(8);
    for (int k = 0; k < windows.size(); k++) {
      RawWindow w = windows.get(k);
      int start = 2048 * k;
      int end = start + 4095;
      assertThat(w.run()).isEqualTo(7);
      assertThat(w.label()).as("window %d", k).isEqualTo(fault == FaultClass.NORMAL || end < 10_000
          ? FaultClass.NORMAL : fault);
      assertThat(w.straddlesOnset()).as("window %d", k).isEqualTo(fault != FaultClass.NORMAL && k >= 3 && k <= 4);
      float[] expected = new float[4096];
      for (int i = 0; i < 4096; i++) {
        expected[i] = (float) samples[start + i];
      }
      assertThat(w.values()).as("window %d", k).containsExactly(expected);
    }
  }

  @Test
  void generationIsDeterministicAndInRunOrder() {
    List<RawWindow> a = VibrationWindows.generate(PLAN.scenarios(), 4096, 4096);
    List<RawWindow> b = VibrationWindows.generate(PLAN.scenarios(), 4096, 4096);
    assertThat(a).hasSize(5 * 4);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).run()).isEqualTo(i / 4);
      assertThat(a.get(i).values()).isEqualTo(b.get(i).values());
    }
  }

  @Test
  void rowsHoldTheWindowsAsOneChannelWithTheirClassIndex() {
    List<RawWindow> windows = VibrationWindows.generate(PLAN.scenarios(), 4096, 4096);
    LabelledRows rows = VibrationWindows.rows(windows);
    assertThat(rows.rowShape()).containsExactly(1, 4096);
    assertThat(rows.rows()).isEqualTo(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      assertThat(rows.labels()[i]).isEqualTo(windows.get(i).label().ordinal());
      assertThat(rows.values()[i * 4096 + 17]).isEqualTo(windows.get(i).values()[17]);
    }
    List<RawWindow> mixed = List.of(windows.get(0), new RawWindow(0, FaultClass.NORMAL, false, new float[10]));
    assertThatThrownBy(() -> VibrationWindows.rows(mixed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window 1 holds 10 samples, expected 4096 as window 0");
  }

  private static double[] samples(MachineScenario scenario) {
    List<Double> values = new ArrayList<>();
    new MachineSimulator(scenario.settings(), Instant.parse("2025-01-01T00:00:00Z"))
        .advanceTo(scenario.duration(), new MachineSimulator.Sink() {
          @Override
          public void accept(SampleBlock block) {
            for (int i = 0; i < block.size(); i++) {
              values.add(block.values()[i]);
            }
          }

          @Override
          public void accept(Reading reading) {}
        });
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
