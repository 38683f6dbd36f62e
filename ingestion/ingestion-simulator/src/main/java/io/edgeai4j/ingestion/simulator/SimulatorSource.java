package io.edgeai4j.ingestion.simulator;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MachineSimulator} paced by the wall clock: after {@code w} seconds of wall-clock time
 * it has produced {@code speed * w} seconds of simulated time. Timestamps are simulated time after the
 * context clock's instant at {@link #start()}, so with a speed above 1 they run ahead of the wall clock.
 *
 * <p>Owns one daemon thread, named {@code simulator-<source name>}, from {@link #start()} until
 * {@link #close()} (or until the run's {@code durationSeconds} is over, when it reports
 * {@link SourceState#FINISHED}). {@code close()} stops the thread, waits for it, and reports
 * {@link SourceState#STOPPED}; it is idempotent. Thread-safe.
 */
public final class SimulatorSource implements SensorSource {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatorSource.class);
  private static final long MIN_TICK_NANOS = 1_000_000;
  private static final long MAX_TICK_NANOS = 100_000_000;
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final SimulatorSettings settings;
  private final SourceContext context;
  private ScheduledThreadPoolExecutor executor;
  private MachineSimulator simulator;
  private long startNanos;
  private boolean started;
  private volatile boolean closed;

  /**
   * Creates a source, not yet started.
   *
   * @param settings The machine.
   * @param context Where the readings go.
   */
  public SimulatorSource(SimulatorSettings settings, SourceContext context) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.context = Objects.requireNonNull(context, "context");
  }

  /** The name of the thread that runs the simulation. */
  public String threadName() {
    return "simulator-" + context.sourceName();
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("simulator source " + context.sourceName() + " is closed");
    }
    if (started) {
      throw new IllegalStateException("simulator source " + context.sourceName() + " is already started");
    }
    started = true;
    simulator = new MachineSimulator(settings, context.clock().instant());
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, threadName());
      thread.setDaemon(true);
      return thread;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    startNanos = System.nanoTime();
    context.reportState(SourceState.CONNECTED, "simulating " + settings.faults().size() + " scripted faults at "
        + settings.sampleRateHz() + " Hz, speed " + settings.speed());
    long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS,
        (long) (settings.block().toNanos() / settings.speed())));
    executor.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    ScheduledThreadPoolExecutor running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = executor;
    }
    if (running != null) {
      running.shutdownNow();
      try {
        if (!running.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("simulator source {}: thread did not stop within {} s", context.sourceName(), CLOSE_WAIT_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    context.reportState(SourceState.STOPPED, null);
  }

  private void tick() {
    try {
      double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
      Duration target = Duration.ofNanos((long) Math.min(elapsedSeconds * settings.speed() * 1e9, Long.MAX_VALUE / 2.0));
      simulator.advanceTo(target, new ContextSink());
      if (!closed && simulator.finished()) {
        context.reportState(SourceState.FINISHED, "simulated " + settings.duration().orElseThrow().toMillis() / 1e3 + " s");
        executor.shutdown();
      }
    } catch (ClosedException e) {
      // close() is waiting for this thread; nothing more to emit.
    } catch (RuntimeException e) {
      LOG.error("simulator source {} failed", context.sourceName(), e);
      context.reportState(SourceState.FAILED, "simulation failed: " + e);
      executor.shutdown();
    }
  }

  /** Passes the simulator's output to the context until the source is closed. */
  private final class ContextSink implements MachineSimulator.Sink {
    @Override
    public void accept(SampleBlock block) {
      checkOpen();
      context.emit(block);
    }

    @Override
    public void accept(Reading reading) {
      checkOpen();
      context.emit(reading);
    }

    private void checkOpen() {
      if (closed || Thread.currentThread().isInterrupted()) {
        throw new ClosedException();
      }
    }
  }

  /** Stops a tick that finds the source closed. */
  private static final class ClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super(null, null, false, false);
    }
  }
}
