package io.edgeai4j.ingestion.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same seed and settings give bit-identical output, however the simulation is advanced. */
class DeterminismTest {
  private static final String MACHINE = "'sampleRateHz': 10000, 'load': {'amplitude': 0.2, "
      + "'periodSeconds': 2}, 'faults': {'a': {'kind': 'outerRace', 'onsetSeconds': 0.5, 'growthSeconds': 1}, "
      + "'b': {'kind': 'innerRace', 'onsetSeconds': 1}, 'c': {'kind': 'imbalance', 'onsetSeconds': 1.5}}";

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
  void theSameSeedGivesBitIdenticalOutput(long seed) {
    Simulations.Output first = Simulations.run(machine(seed, ", 'slowRateHz': 5"), 3);
    Simulations.Output second = Simulations.run(machine(seed, ", 'slowRateHz': 5"), 3);

    assertThat(first.blocks()).hasSameSizeAs(second.blocks());
    for (int i = 0; i < first.blocks().size(); i++) {
      assertSameBlock(first.blocks().get(i), second.blocks().get(i));
    }
    assertThat(first.readings()).isEqualTo(second.readings());
    assertThat(Arrays.equals(first.vibration(), second.vibration())).isTrue();
  }

  @Test
  void anotherSeedGivesOtherNoiseAndBursts() {
    Simulations.Output one = Simulations.run(machine(1, ""), 2);
    Simulations.Output two = Simulations.run(machine(2, ""), 2);

    assertThat(Arrays.equals(one.vibration(), two.vibration())).isFalse();
    assertThat(Arrays.equals(one.values("temperature"), two.values("temperature"))).isFalse();
    assertThat(Arrays.equals(one.values("current"), two.values("current"))).isFalse();
    // Same machine, so the same labels at the same times.
    assertThat(one.blocks().stream().map(b -> b.properties().get("label")).toList())
        .isEqualTo(two.blocks().stream().map(b -> b.properties().get("label")).toList());
  }

  @Test
  void theSignalDoesNotDependOnBlockLengthOrSlowRate() {
    double[] reference = Simulations.run(machine(9, ""), 3).vibration();
    double[] longBlocks = Simulations.run(machine(9, ", 'blockMillis': 250"), 3).vibration();
    double[] oddBlocks = Simulations.run(machine(9, ", 'blockMillis': 37"), 3).vibration();
    double[] slowRate = Simulations.run(machine(9, ", 'slowRateHz': 7"), 3).vibration();

    assertThat(Arrays.equals(reference, longBlocks)).isTrue();
    // 37 ms blocks: the last whole block ends at 2.997 s.
    assertThat(oddBlocks).hasSize(29_970);
    assertThat(Arrays.equals(reference, 0, oddBlocks.length, oddBlocks, 0, oddBlocks.length)).isTrue();
    assertThat(Arrays.equals(reference, slowRate)).isTrue();
  }

  @Test
  void advancingInUnevenStepsGivesTheSameBlocksAsOneStep() {
    SimulatorSettings settings = machine(5, ", 'slowRateHz': 5");
    Simulations.Output oneStep = Simulations.run(settings, 3);

    Simulations.Output steps = new Simulations.Output(new ArrayList<>(), new ArrayList<>());
    MachineSimulator simulator = new MachineSimulator(settings, Simulations.ORIGIN);
    for (double t : new double[] {0.0, 0.0001, 0.05, 0.33, 0.33, 1.234567, 2.9999, 3}) {
      simulator.advanceTo(Duration.ofNanos(Math.round(t * 1e9)), steps);
    }

    assertThat(steps.blocks()).hasSameSizeAs(oneStep.blocks());
    for (int i = 0; i < steps.blocks().size(); i++) {
      assertSameBlock(steps.blocks().get(i), oneStep.blocks().get(i));
    }
    List<Reading> readings = steps.readings();
    assertThat(readings).isEqualTo(oneStep.readings());
  }

  private static SimulatorSettings machine(long seed, String more) {
    return Simulations.settings("{'seed': " + seed + ", " + MACHINE + more + "}");
  }

  private static void assertSameBlock(SampleBlock actual, SampleBlock expected) {
    assertThat(actual.start()).isEqualTo(expected.start());
    assertThat(actual.sampleRateHz()).isEqualTo(expected.sampleRateHz());
    assertThat(actual.properties()).isEqualTo(expected.properties());
    assertThat(Arrays.equals(actual.values(), expected.values())).as("values of %s", actual).isTrue();
  }
}
