package io.edgeai4j.ingestion.source.testing;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SourceContext} for plug-in tests: keeps every reading, block and state change, in order.
 * Thread-safe. Wait on it with Awaitility, e.g.
 * {@code await().until(() -> context.readings().size() >= 3)}.
 */
public final class RecordingSourceContext implements SourceContext {
  /** A state change as the source reported it. */
  public record StateChange(SourceState state, String detail, Instant at) {}

  private final String name;
  private final Path stateDirectory;
  private final Clock clock;
  private final List<Reading> readings = new CopyOnWriteArrayList<>();
  private final List<SampleBlock> blocks = new CopyOnWriteArrayList<>();
  private final List<StateChange> states = new CopyOnWriteArrayList<>();
  private final Map<String, Double> sampleRates = new ConcurrentHashMap<>();

  /**
   * Creates a context.
   *
   * @param name The source name.
   * @param stateDirectory The source's state directory (a JUnit {@code @TempDir}).
   */
  public RecordingSourceContext(String name, Path stateDirectory) {
    this(name, stateDirectory, Clock.systemUTC());
  }

  public RecordingSourceContext(String name, Path stateDirectory, Clock clock) {
    this.name = name;
    this.stateDirectory = stateDirectory;
    this.clock = clock;
  }

  @Override
  public String sourceName() {
    return name;
  }

  @Override
  public void emit(Reading reading) {
    readings.add(reading);
  }

  @Override
  public void emit(SampleBlock block) {
    blocks.add(block);
  }

  @Override
  public void reportState(SourceState state, String detail) {
    states.add(new StateChange(state, detail, clock.instant()));
  }

  /** Gives {@code sensor} a configured sample rate, as {@code sensors.<name>.sampleRateHz} would. */
  public RecordingSourceContext withSampleRate(String sensor, double hz) {
    sampleRates.put(sensor, hz);
    return this;
  }

  @Override
  public OptionalDouble sampleRateHz(String sensor) {
    Double hz = sampleRates.get(sensor);
    return hz == null ? OptionalDouble.empty() : OptionalDouble.of(hz);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Path stateDirectory() {
    try {
      return Files.createDirectories(stateDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every reading so far, in emission order (a snapshot). */
  public List<Reading> readings() {
    return List.copyOf(readings);
  }

  /** The readings of one sensor, in emission order. */
  public List<Reading> readings(String sensor) {
    List<Reading> result = new ArrayList<>();
    for (Reading r : readings) {
      if (r.sensor().equals(sensor)) {
        result.add(r);
      }
    }
    return result;
  }

  /** Every block so far, in emission order. */
  public List<SampleBlock> blocks() {
    return List.copyOf(blocks);
  }

  /** Every state change so far, in order. */
  public List<StateChange> states() {
    return List.copyOf(states);
  }

  /** The last state reported, or null. */
  public SourceState lastState() {
    return states.isEmpty() ? null : states.get(states.size() - 1).state();
  }

  /** Forgets what was recorded so far. */
  public void clear() {
    readings.clear();
    blocks.clear();
    states.clear();
  }
}
