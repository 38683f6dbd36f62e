package io.edgeai4j.ingestion.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every block and reading carries the ground truth, and the label switches exactly at the onset. */
class LabelTest {
  @ParameterizedTest(name = "onset {1} s at {0} Hz")
  @CsvSource({"10000, 1.2345", "10000, 0", "10000, 0.00005", "10000, 2.0", "12345, 0.7", "25000, 1.00002", "1000, 0.0015"})
  void theLabelSwitchesAtTheFirstSampleAtOrAfterTheOnset(int rate, double onsetSeconds) {
    long onsetNanos = Math.round(onsetSeconds * 1e9);
    Simulations.Output output = Simulations.run(Simulations.settings("{'sampleRateHz': " + rate
        + ", 'faults': {'f1': {'kind': 'imbalance', 'onsetSeconds': " + onsetSeconds + "}}}"), 3);

    long sample = 0;
    boolean sawOnsetBlock = false;
    for (SampleBlock block : output.blocks()) {
      long first = sample;
      long last = sample + block.size() - 1;
      sample += block.size();
      // Exact: sample n is at n / rate seconds, at or after the onset when n * 1e9 >= onsetNanos * rate.
      boolean firstFaulty = first * 1_000_000_000L >= onsetNanos * rate;
      boolean lastFaulty = last * 1_000_000_000L >= onsetNanos * rate;
      assertThat(firstFaulty).as("one label per block: %s", block).isEqualTo(lastFaulty);
      assertThat(block.properties().get("label")).as("label of %s", block).isEqualTo(firstFaulty ? "imbalance" : "normal");
      if (firstFaulty && !sawOnsetBlock) {
        sawOnsetBlock = true;
        assertThat(first == 0 || (first - 1) * 1_000_000_000L < onsetNanos * rate).as("first faulty block starts at the onset").isTrue();
        assertThat(block.properties().get("faultSeverity")).isEqualTo("1.000");
      }
    }
    assertThat(sawOnsetBlock).isTrue();
    assertThat(sample).isEqualTo(3L * rate);
  }

  @Test
  void aBlockThatSpansTheOnsetIsCutThere() {
    Simulations.Output output = Simulations.run(Simulations.settings(
        "{'faults': {'f1': {'kind': 'misalignment', 'onsetSeconds': 1.2345, 'growthSeconds': 10}}}"), 1.5);

    List<SampleBlock> blocks = output.blocks();
    assertThat(blocks).extracting(SampleBlock::size).containsExactly(
        1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 345, 655, 1000, 1000);
    SampleBlock cut = blocks.get(12);
    SampleBlock onset = blocks.get(13);
    assertThat(cut.start()).isEqualTo(Simulations.ORIGIN.plusMillis(1200));
    assertThat(cut.properties()).containsEntry("label", "normal").containsEntry("faultSeverity", "0.000");
    assertThat(onset.start()).isEqualTo(Simulations.ORIGIN.plusNanos(1_234_500_000));
    assertThat(onset.properties()).containsEntry("label", "misalignment").containsEntry("faultSeverity", "0.000");
    // The severity ramps over 10 s: 0.0655 s after the onset it is 0.00655, at the next block 0.01655.
    assertThat(blocks.get(14).properties()).containsEntry("faultSeverity", "0.007");
    assertThat(blocks.get(15).properties()).containsEntry("faultSeverity", "0.017");
  }

  @Test
  void readingsCarryTheLabelOfTheirTime() {
    Simulations.Output output = Simulations.run(Simulations.settings(
        "{'slowRateHz': 10, 'faults': {'early': {'kind': 'outerRace', 'onsetSeconds': 1.25}, "
            + "'exact': {'kind': 'imbalance', 'onsetSeconds': 2}}}"), 3);

    for (String sensor : List.of("temperature", "current")) {
      List<Reading> readings = output.readings(sensor);
      assertThat(readings).hasSize(31);
      for (Reading reading : readings) {
        Duration t = Duration.between(Simulations.ORIGIN, reading.timestamp());
        String expected = t.compareTo(Duration.ofSeconds(2)) >= 0 ? "imbalance+outerRace"
            : t.compareTo(Duration.ofMillis(1250)) >= 0 ? "outerRace" : "normal";
        assertThat(reading.properties().get("label")).as("%s at %s", sensor, t).isEqualTo(expected);
      }
      assertThat(readings.get(12).properties()).containsEntry("label", "normal");
      assertThat(readings.get(13).properties()).containsEntry("label", "outerRace");
      assertThat(readings.get(20).properties()).containsEntry("label", "imbalance+outerRace");
    }
  }

  @Test
  void severalFaultsJoinTheirKindsInAFixedOrderAndReportTheLargestSeverity() {
    // Readings at 0, 1, ..., 8 s: a reading at the end of the run is included.
    // Declared in the opposite order of FaultKind on purpose.
    Simulations.Output output = Simulations.run(Simulations.settings("{'slowRateHz': 1, 'faults': {"
        + "'a': {'kind': 'innerRace', 'onsetSeconds': 2, 'severity': 0.5}, "
        + "'b': {'kind': 'imbalance', 'onsetSeconds': 1, 'growthSeconds': 4, 'severity': 2}}}"), 8);

    assertThat(output.readings("temperature")).extracting(r -> r.properties().get("label") + " " + r.properties().get("faultSeverity"))
        .containsExactly("normal 0.000", "imbalance 0.000", "imbalance+innerRace 0.500", "imbalance+innerRace 1.000",
            "imbalance+innerRace 1.500", "imbalance+innerRace 2.000", "imbalance+innerRace 2.000", "imbalance+innerRace 2.000",
            "imbalance+innerRace 2.000");
  }

  @Test
  void aRunWithADurationEndsExactlyThere() {
    SimulatorSettings settings = Simulations.settings("{'durationSeconds': 1.05, 'slowRateHz': 2}");
    MachineSimulator simulator = new MachineSimulator(settings, Simulations.ORIGIN);
    Simulations.Output output = new Simulations.Output(new java.util.ArrayList<>(), new java.util.ArrayList<>());

    simulator.advanceTo(Duration.ofSeconds(1), output);
    assertThat(simulator.finished()).isFalse();
    simulator.advanceTo(Duration.ofSeconds(60), output);

    assertThat(simulator.finished()).isTrue();
    assertThat(output.blocks()).hasSize(11);
    assertThat(output.blocks().get(10).size()).isEqualTo(500);
    assertThat(output.vibration()).hasSize(10_500);
    assertThat(output.readings("temperature")).extracting(Reading::timestamp).containsExactly(
        Simulations.ORIGIN, Simulations.ORIGIN.plusMillis(500), Simulations.ORIGIN.plusMillis(1000));
  }
}
