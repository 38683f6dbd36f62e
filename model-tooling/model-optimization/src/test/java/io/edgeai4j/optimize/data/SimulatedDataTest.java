package io.edgeai4j.optimize.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.training.FaultClass;
import io.edgeai4j.training.FeatureDataset;
import io.edgeai4j.training.LabelledWindow;
import io.edgeai4j.training.ScenarioPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows from the ingestion simulator, labelled with the simulated fault class. */
class SimulatedDataTest {
  private static final Duration RUN = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void featureRowsAreTheFaultClassifierTrainingRowsWithTheirClasses() {
    SimulatedData.Rows rows = SimulatedData.of(SimulatedData.Kind.FEATURES, 7, 2, RUN).generate();

    List<LabelledWindow> training = FeatureDataset.generate(new ScenarioPlan(7, 2, RUN).scenarios());
    assertThat(rows.input().name()).isEqualTo("features");
    assertThat(rows.input().shape()).containsExactly(training.size(), 10);
    double[] values = rows.input().values();
    double[] labels = rows.labels().values();
    for (int r = 0; r < training.size(); r++) {
      double[] expected = training.get(r).features();
      assertThat(Arrays.copyOfRange(values, r * 10, r * 10 + 10)).as("row %d", r).containsExactly(expected);
      assertThat(labels[r]).as("row %d", r).isEqualTo(training.get(r).label().ordinal());
    }
    assertThat(Arrays.stream(labels).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void windowRowsAreLabelledNormalBeforeTheOnsetAndWithTheRunsFaultAfter() throws Exception {
    SimulatedData.Rows rows = SimulatedData.of(SimulatedData.Kind.WINDOWS, 3, 1, RUN).generate();

    // 3 s at 5000 Hz: windows of 2048 every 1024 end at 2048 + 1024 j <= 15000, so j = 0..12 per run; the fault
    // steps in at sample 10000, so windows ending after it (j >= 8) carry the run's class, the others 'normal'.
    int perRun = 13;
    assertThat(rows.input().shape()).containsExactly(5L * perRun, 1, 2048);
    double[] labels = rows.labels().values();
    for (FaultClass fault : FaultClass.values()) {
      for (int j = 0; j < perRun; j++) {
        double expected = j >= 8 ? fault.ordinal() : FaultClass.NORMAL.ordinal();
        assertThat(labels[fault.ordinal() * perRun + j]).as("%s window %d", fault, j).isEqualTo(expected);
      }
    }
    // Written as a data directory, the sets hold the same labels.
    TestDataSetWriter.write(dir, List.of(rows.input()), Optional.of(rows.labels()), 16);
    List<Double> read = new ArrayList<>();
    for (TestDataSets.DataSet set : TestDataSets.open(dir)) {
      assertThat(set.inputs().get(0).shape()[1]).isEqualTo(1);
      Arrays.stream(set.labels().orElseThrow().values()).forEach(read::add);
    }
    assertThat(read).containsExactlyElementsOf(Arrays.stream(labels).boxed().toList());
  }

  @Test
  void refusesRunsTooShortForAWindowAndBadWindows() {
    assertThatThrownBy(() -> new SimulatedData(SimulatedData.Kind.WINDOWS, 1, 1, Duration.ofMillis(2100), 16384, 1024)
        .generate()).hasMessage("runs of PT2.1S give no window of 16384 samples at 5000 Hz; expected longer runs or a"
            + " smaller window");
    assertThatThrownBy(() -> new SimulatedData(SimulatedData.Kind.WINDOWS, 1, 1, RUN, 2048, 4096))
        .hasMessage("window size must be at least 2 and hop in [1, window size], found window 2048, hop 4096");
    assertThatThrownBy(() -> SimulatedData.of(SimulatedData.Kind.FEATURES, 1, 1, Duration.ofSeconds(1)))
        .hasMessageStartingWith("duration must be longer than the onset");
  }
}
