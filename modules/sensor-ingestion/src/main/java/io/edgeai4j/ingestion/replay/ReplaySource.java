package io.edgeai4j.ingestion.replay;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a recording on its own thread, paced by the recorded times divided by the speed. Lines that
 * cannot be read are skipped, counted and named in the source's state detail. Owned by the module;
 * {@link #close()} stops the thread and closes the file.
 */
final class ReplaySource implements SensorSource {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);

  private final ReplaySettings settings;
  private final SourceContext context;
  private volatile boolean closed;
  private Thread thread;
  private long skipped;
  private String lastSkip;

  ReplaySource(ReplaySettings settings, SourceContext context) {
    this.settings = settings;
    this.context = context;
  }

  @Override
  public synchronized void start() throws IOException {
    if (!Files.isReadable(settings.path())) {
      throw new IOException("file " + settings.path().toAbsolutePath() + " does not exist or cannot be read");
    }
    thread = new Thread(this::run, "replay-" + context.sourceName());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      do {
        context.reportState(SourceState.CONNECTED, detail());
        if (replayOnce() == 0 && !closed) {
          context.reportState(SourceState.FAILED, "the recording " + settings.path() + " has no readable record"
              + (detail() == null ? "" : "; " + detail()));
          return;
        }
      } while (settings.loop() && !closed);
      if (!closed) {
        context.reportState(SourceState.FINISHED, detail());
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.error("Replay '{}' of {} failed", context.sourceName(), settings.path(), e);
        context.reportState(SourceState.FAILED, e.toString());
      }
    }
  }

  /** Replays the file once; returns how many records were emitted. */
  private long replayOnce() throws IOException {
    long emitted = 0;
    try (RecordReader reader = new RecordReader(settings)) {
      Instant first = null;
      long startNanos = System.nanoTime();
      Instant startInstant = context.clock().instant();
      RecordReader.Record record;
      while (!closed && (record = reader.next()) != null) {
        if (record instanceof RecordReader.Malformed bad) {
          skipped++;
          lastSkip = "line " + bad.line() + ": " + bad.reason();
          LOG.warn("Replay '{}': skipped {} of {}", context.sourceName(), lastSkip, settings.path());
          context.reportState(SourceState.CONNECTED, detail());
          continue;
        }
        Instant recorded = record instanceof RecordReader.Readings r ? r.time()
            : ((RecordReader.Block) record).block().start();
        if (first == null) {
          first = recorded;
        }
        long offsetNanos = (long) (Duration.between(first, recorded).toNanos() / settings.speed());
        waitUntil(startNanos + offsetNanos);
        if (closed) {
          return emitted;
        }
        Instant stamp = settings.retime() ? startInstant.plusNanos(offsetNanos) : null;
        emit(record, stamp);
        emitted++;
      }
    }
    return emitted;
  }

  private void emit(RecordReader.Record record, Instant stamp) {
    if (record instanceof RecordReader.Readings readings) {
      for (Reading r : readings.readings()) {
        context.emit(stamp == null ? r : new Reading(r.sensor(), stamp, r.value(), r.unit(), r.properties()));
      }
    } else {
      SampleBlock b = ((RecordReader.Block) record).block();
      context.emit(stamp == null ? b
          : new SampleBlock(b.sensor(), stamp, b.sampleRateHz(), b.values(), b.unit(), b.properties()));
    }
  }

  private void waitUntil(long deadlineNanos) {
    long left;
    while (!closed && (left = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(Math.min(left, 100_000_000L));
    }
  }

  private String detail() {
    return skipped == 0 ? null : "skipped " + skipped + " unreadable line(s); last: " + lastSkip;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
