package io.edgeai4j.ingestion.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The running source: wall-clock pacing, contiguous blocks, states, and a clean close. */
class SimulatorSourceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** The simulator keeps no state on disk, so the contexts have no state directory. */
  private final RecordingSourceContext context = new RecordingSourceContext("press7", null,
      Clock.fixed(Simulations.ORIGIN, ZoneOffset.UTC));
  private SimulatorSource source;

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void emitsContiguousBlocksOfRateTimesBlockLengthAtTheConfiguredSpeed() {
    source = new SimulatorSource(Simulations.settings("{'sampleRateHz': 10000, 'speed': 50, 'slowRateHz': 10}"), context);
    long wallStart = System.nanoTime();
    source.start();
    await().atMost(PATIENCE).until(() -> context.blocks().size() >= 30);
    source.close();
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;

    List<SampleBlock> blocks = context.blocks();
    assertThat(blocks.get(0).start()).isEqualTo(Simulations.ORIGIN);
    for (int i = 0; i < blocks.size(); i++) {
      SampleBlock block = blocks.get(i);
      assertThat(block.size()).as("block %d", i).isEqualTo(1000);
      assertThat(block.sampleRateHz()).isEqualTo(10_000);
      assertThat(block.sensor()).isEqualTo("vibration");
      assertThat(block.unit()).isEqualTo("m/s^2");
      assertThat(block.properties()).containsEntry("label", "normal").containsEntry("faultSeverity", "0.000");
      if (i > 0) {
        SampleBlock previous = blocks.get(i - 1);
        assertThat(block.start()).as("block %d follows block %d", i, i - 1)
            .isEqualTo(previous.start().plusNanos(previous.size() * 1_000_000_000L / 10_000));
      }
    }
    double simulatedSeconds = blocks.size() * 0.1;
    assertThat(simulatedSeconds).as("never ahead of speed x wall-clock time").isLessThanOrEqualTo(50 * wallSeconds);
    // Readings every 0.1 s of simulated time, from 0 up to the end of the last block at most.
    assertThat(context.readings("temperature")).hasSizeBetween(blocks.size() - 1, blocks.size() + 2);
    assertThat(context.readings("current")).hasSameSizeAs(context.readings("temperature"));
  }

  @Test
  void closeStopsEmissionAndTheThreadAndReportsStoppedOnce() {
    source = new SimulatorSource(Simulations.settings("{'speed': 20}"), context);
    source.start();
    await().atMost(PATIENCE).until(() -> context.blocks().size() >= 3);
    Thread thread = simulatorThread().orElseThrow();
    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.getName()).isEqualTo("simulator-press7").isEqualTo(source.threadName());

    source.close();
    int blocks = context.blocks().size();
    int readings = context.readings().size();

    // The pool has terminated when close() returns; its worker thread ends a moment after.
    await().atMost(PATIENCE).until(() -> !thread.isAlive() && simulatorThread().isEmpty());
    assertThat(context.states()).extracting(RecordingSourceContext.StateChange::state)
        .containsExactly(SourceState.CONNECTED, SourceState.STOPPED);
    await().during(Duration.ofMillis(300)).atMost(PATIENCE)
        .until(() -> context.blocks().size() == blocks && context.readings().size() == readings);
    source.close();
    assertThat(context.states()).hasSize(2);
  }

  @Test
  void aRunWithADurationReportsFinishedEndsItsThreadAndMatchesThePureSimulator() {
    SimulatorSettings settings = Simulations.settings("{'speed': 100, 'durationSeconds': 2.05, "
        + "'faults': {'f': {'kind': 'innerRace', 'onsetSeconds': 1.01, 'growthSeconds': 0.5}}}");
    source = new SimulatorSource(settings, context);
    source.start();

    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.FINISHED);
    await().atMost(PATIENCE).until(() -> simulatorThread().isEmpty());

    // Whatever the wall clock did, the output is the pure simulator's, bit for bit.
    Simulations.Output expected = Simulations.run(settings, 2.05);
    List<SampleBlock> blocks = context.blocks();
    assertThat(blocks).hasSameSizeAs(expected.blocks());
    assertThat(blocks.stream().mapToInt(SampleBlock::size).sum()).isEqualTo(20_500);
    for (int i = 0; i < blocks.size(); i++) {
      assertThat(blocks.get(i).start()).isEqualTo(expected.blocks().get(i).start());
      assertThat(blocks.get(i).properties()).isEqualTo(expected.blocks().get(i).properties());
      assertThat(Arrays.equals(blocks.get(i).values(), expected.blocks().get(i).values())).isTrue();
    }
    assertThat(context.readings()).isEqualTo(expected.readings());
    assertThat(blocks).extracting(b -> b.properties().get("label")).containsOnly("normal", "innerRace");

    source.close();
    assertThat(context.states()).extracting(RecordingSourceContext.StateChange::state)
        .containsExactly(SourceState.CONNECTED, SourceState.FINISHED, SourceState.STOPPED);
  }

  @Test
  void startsOnceAndNotAfterClose() {
    source = new SimulatorSource(SimulatorSettings.defaults(), context);
    source.start();
    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    source.close();
    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");

    SimulatorSource neverStarted = new SimulatorSource(SimulatorSettings.defaults(), context);
    neverStarted.close();
    assertThat(context.lastState()).isEqualTo(SourceState.STOPPED);
  }

  @Test
  void aFailingContextIsReportedAsFailedAndStopsTheThread() {
    RecordingSourceContext failing = new RecordingSourceContext("broken", null, Clock.fixed(Simulations.ORIGIN, ZoneOffset.UTC));
    SourceContext exploding = new SourceContext() {
      @Override
      public String sourceName() {
        return failing.sourceName();
      }

      @Override
      public void emit(Reading reading) {
        failing.emit(reading);
      }

      @Override
      public void emit(SampleBlock block) {
        throw new IllegalStateException("downstream exploded");
      }

      @Override
      public void reportState(SourceState state, String detail) {
        failing.reportState(state, detail);
      }

      @Override
      public Clock clock() {
        return failing.clock();
      }

      @Override
      public Path stateDirectory() {
        return failing.stateDirectory();
      }
    };
    source = new SimulatorSource(Simulations.settings("{'speed': 50}"), exploding);
    source.start();

    await().atMost(PATIENCE).until(() -> failing.lastState() == SourceState.FAILED);
    assertThat(failing.states().get(1).detail()).contains("downstream exploded");
    await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("simulator-broken")));
  }

  private static Optional<Thread> simulatorThread() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("simulator-press7")).findFirst();
  }
}
