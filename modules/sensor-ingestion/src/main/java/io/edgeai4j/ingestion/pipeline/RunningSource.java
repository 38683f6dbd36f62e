package io.edgeai4j.ingestion.pipeline;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started source and the context it was given: passes its readings to the pipeline and keeps its
 * status. Thread-safe. Owned by {@link IngestionPipeline}, which closes it.
 */
final class RunningSource implements SourceContext, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningSource.class);

  private final ResolvedSource resolved;
  private final IngestionPipeline pipeline;
  private final Clock clock;
  private final Path stateDirectory;
  private SensorSource source;
  private volatile boolean closed;
  // Guarded by this.
  private SourceState state = SourceState.STARTING;
  private String detail;
  private Instant since;
  private Instant lastReading;
  private long readings;
  private long lost;

  RunningSource(ResolvedSource resolved, IngestionPipeline pipeline, Clock clock, Path stateDirectory) {
    this.resolved = resolved;
    this.pipeline = pipeline;
    this.clock = clock;
    this.stateDirectory = stateDirectory;
    this.since = clock.instant();
  }

  ResolvedSource resolved() {
    return resolved;
  }

  /** Creates and starts the source; a failure to start leaves it {@link SourceState#FAILED}. */
  void start() {
    try {
      source = resolved.provider().create(resolved.settings(), this);
      source.start();
    } catch (Exception e) {
      LOG.error("Source '{}' ({}) did not start: {}", resolved.name(), resolved.provider().type(), e.toString(), e);
      reportState(SourceState.FAILED, "did not start: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (source != null) {
        source.close();
      }
      source = null;
    }
  }

  @Override
  public String sourceName() {
    return resolved.name();
  }

  @Override
  public void emit(Reading reading) {
    if (!admit()) {
      lost(1, new IllegalStateException("source '" + resolved.name() + "' passed on a reading after it was closed"));
      return;
    }
    try {
      pipeline.accept(resolved.name(), reading);
    } catch (RuntimeException e) {
      lost(1, e);
    }
  }

  @Override
  public void emit(SampleBlock block) {
    if (!admit()) {
      lost(block.size(), new IllegalStateException("source '" + resolved.name()
          + "' passed on a block after it was closed"));
      return;
    }
    try {
      pipeline.accept(resolved.name(), block);
    } catch (RuntimeException e) {
      lost(block.size(), e);
    }
  }

  private synchronized boolean admit() {
    if (closed) {
      return false;
    }
    lastReading = clock.instant();
    readings++;
    return true;
  }

  private void lost(int n, RuntimeException e) {
    synchronized (this) {
      lost += n;
    }
    pipeline.lost(resolved.name(), n, e);
  }

  @Override
  public void reportState(SourceState newState, String newDetail) {
    boolean changed;
    synchronized (this) {
      changed = newState != state || !java.util.Objects.equals(newDetail, detail);
      if (newState != state) {
        since = clock.instant();
      }
      state = newState;
      detail = newDetail;
    }
    if (changed) {
      if (newState == SourceState.DISCONNECTED || newState == SourceState.FAILED) {
        LOG.warn("Source '{}' is {}: {}", resolved.name(), newState, newDetail);
      } else {
        LOG.info("Source '{}' is {}{}", resolved.name(), newState, newDetail == null ? "" : ": " + newDetail);
      }
      pipeline.stateChanged(resolved.name(), newState);
    }
  }

  @Override
  public OptionalDouble sampleRateHz(String sensor) {
    return pipeline.sampleRateHz(sensor);
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
      throw new UncheckedIOException("cannot create the state directory of source '" + resolved.name() + "': "
          + stateDirectory, e);
    }
  }

  synchronized SourceStatus status() {
    return new SourceStatus(resolved.provider().type(), state, detail, since, lastReading, readings, lost);
  }

  @Override
  public void close() {
    SensorSource s;
    synchronized (this) {
      if (closed) {
        return;
      }
      s = source;
    }
    if (s != null) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("Source '{}' failed to close cleanly", resolved.name(), e);
      }
    }
    synchronized (this) {
      closed = true;
    }
    reportState(SourceState.STOPPED, null);
  }
}
