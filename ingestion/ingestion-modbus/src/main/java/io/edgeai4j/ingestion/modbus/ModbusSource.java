package io.edgeai4j.ingestion.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.exceptions.ModbusException;
import com.digitalpetri.modbus.exceptions.ModbusExecutionException;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import io.edgeai4j.ingestion.modbus.ReadRequest.NamedPoint;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one Modbus TCP device. Each poll sends the planned read requests one after the other on one
 * poll thread, so polls never overlap; its readings all carry the time the poll started. A poll that
 * takes longer than the poll interval is counted ({@link #overruns()}) and logged, and the next poll
 * starts at once. A device that cannot be reached, a lost connection or a request that times out is
 * reported as {@link SourceState#DISCONNECTED} naming {@code host:port} and the exception, and the
 * source connects again after a backoff (the poll interval or 1 s, doubling up to 30 s, with jitter: see
 * {@link #reconnectPolicy}). An exception
 * response to one request (e.g. ILLEGAL_DATA_ADDRESS) does not stop the others: the source stays
 * {@link SourceState#CONNECTED} and the state detail names the failing requests and their points.
 *
 * <p>Owns its poll thread and its {@link ModbusConnection} (client, event loop, executor), all made by
 * {@link #start()} and released by {@link #close()}, which is idempotent and may be called from any
 * thread. {@link #polls()} and {@link #overruns()} are thread-safe.
 */
public final class ModbusSource implements SensorSource {
  private static final Logger LOG = LoggerFactory.getLogger(ModbusSource.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final ModbusSettings settings;
  private final SourceContext context;
  private final List<ReadRequest> requests;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();

  /** Guards the lifecycle fields and every call on the context, so that none follows close(). */
  private final Object lock = new Object();
  private boolean started;
  private boolean closed;
  private ScheduledExecutorService poller;
  private ModbusConnection connection;

  // Owned by the poll thread.
  private final Backoff backoff;

  /** The longest wait between two connection attempts. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
  /** The longest first wait. */
  static final Duration MAX_FIRST_RECONNECT_DELAY = Duration.ofSeconds(1);
  private boolean connected;
  private long pollStartNanos;
  private SourceState reportedState;
  private String reportedDetail;

  /**
   * Creates a source, not yet started.
   *
   * @param settings What to poll.
   * @param context Where readings and state changes go.
   */
  public ModbusSource(ModbusSettings settings, SourceContext context) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.context = Objects.requireNonNull(context, "context");
    this.requests = RequestPlanner.plan(settings.points(), settings.maxGap());
    this.backoff = reconnectPolicy(settings.pollInterval()).start();
  }

  /**
   * The backoff between connection attempts: the poll interval, or 1 s if that is longer, doubling up to 30 s,
   * with the project's default jitter (each wait between half and all of that).
   */
  static BackoffPolicy reconnectPolicy(Duration pollInterval) {
    Duration first = pollInterval.compareTo(MAX_FIRST_RECONNECT_DELAY) < 0 ? pollInterval : MAX_FIRST_RECONNECT_DELAY;
    return BackoffPolicy.exponential(first, MAX_RECONNECT_DELAY);
  }

  /** Starts the poll thread, which connects and polls at once; returns without waiting. */
  @Override
  public void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("Modbus source " + context.sourceName() + " is closed");
      }
      if (started) {
        throw new IllegalStateException("Modbus source " + context.sourceName() + " is already started");
      }
      started = true;
      String threadPrefix = "modbus-source-" + context.sourceName();
      connection = new ModbusConnection(settings, threadPrefix);
      try {
        poller = Executors.newSingleThreadScheduledExecutor(ModbusConnection.named(threadPrefix + "-poll"));
        poller.execute(this::cycle);
      } catch (RuntimeException | Error e) {
        if (poller != null) {
          poller.shutdownNow();
        }
        connection.close();
        throw e;
      }
    }
    LOG.info("Modbus source {} polls {} unit {}: {} points in {} requests every {} ms", context.sourceName(),
        settings.endpoint(), settings.unitId(), settings.points().size(), requests.size(),
        settings.pollInterval().toMillis());
  }

  /** How many polls have completed (every request answered, with data or an exception response). */
  public long polls() {
    return polls.get();
  }

  /** How many polls took longer than the poll interval. */
  public long overruns() {
    return overruns.get();
  }

  /** Stops polling, disconnects and ends every thread the source started; reports STOPPED. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService pollerToStop;
    ModbusConnection connectionToClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      pollerToStop = poller;
      connectionToClose = connection;
    }
    try {
      if (pollerToStop != null) {
        pollerToStop.shutdownNow();
        awaitTermination(pollerToStop);
      }
    } finally {
      if (connectionToClose != null) {
        connectionToClose.close();
      }
    }
    context.reportState(SourceState.STOPPED, null);
    LOG.info("Modbus source {} stopped", context.sourceName());
  }

  /** One step of the poll thread: connect if needed, then poll, then schedule the next step. */
  private void cycle() {
    try {
      if (!connected && !connect()) {
        return;
      }
      pollOnce();
    } catch (RuntimeException e) {
      if (isClosing()) {
        return;
      }
      LOG.error("Modbus source {}: unexpected error while polling {}", context.sourceName(), settings.endpoint(), e);
      connectionLost(e);
    }
  }

  /** Connects; on failure reports it and schedules the next try. */
  private boolean connect() {
    try {
      connection.connect();
    } catch (ModbusExecutionException e) {
      if (!isClosing()) {
        Duration delay = backoff.next();
        report(SourceState.DISCONNECTED, "cannot connect to " + settings.endpoint() + ": " + describe(e)
            + "; next try in " + delay.toMillis() + " ms");
        schedule(delay);
      }
      return false;
    }
    connected = true;
    backoff.reset();
    pollStartNanos = System.nanoTime();
    return true;
  }

  private void pollOnce() {
    long started = System.nanoTime();
    Instant timestamp = context.clock().instant();
    List<String> failures = new ArrayList<>();
    for (ReadRequest request : requests) {
      byte[] data;
      try {
        data = connection.read(request);
      } catch (ModbusResponseException e) {
        failures.add(request.describe() + ": " + exceptionName(e));
        continue;
      } catch (ModbusException e) {
        if (!isClosing()) {
          connectionLost(e);
        }
        return;
      }
      int expected = request.table().holdsBits() ? (request.quantity() + 7) / 8 : request.quantity() * 2;
      if (data.length < expected) {
        failures.add(request.describe() + ": the response carried " + data.length + " bytes, expected " + expected);
        continue;
      }
      for (NamedPoint point : request.points()) {
        Object value = point.point().decode(data, request.address());
        emit(new Reading(point.sensor(), timestamp, value, point.point().unit(), Map.of()));
      }
    }
    polls.incrementAndGet();
    report(SourceState.CONNECTED, failures.isEmpty() ? healthyDetail()
        : failures.size() + " of " + requests.size() + " read requests to " + settings.endpoint() + " failed: "
            + String.join("; ", failures));
    scheduleNextPoll(started);
  }

  private void scheduleNextPoll(long started) {
    long interval = settings.pollInterval().toNanos();
    long now = System.nanoTime();
    long nextStart = pollStartNanos + interval;
    if (now - nextStart > 0) {
      long count = overruns.incrementAndGet();
      if (count == 1 || count % 100 == 0) {
        LOG.warn("Modbus source {}: a poll of {} took {} ms, longer than the poll interval of {} ms ({} overruns so far)",
            context.sourceName(), settings.endpoint(), TimeUnit.NANOSECONDS.toMillis(now - started),
            settings.pollInterval().toMillis(), count);
      }
      nextStart = now;
    }
    pollStartNanos = nextStart;
    schedule(Duration.ofNanos(nextStart - now));
  }

  private void connectionLost(Exception cause) {
    connected = false;
    connection.disconnect();
    if (isClosing()) {
      return;
    }
    Duration delay = backoff.next();
    report(SourceState.DISCONNECTED, "lost connection to " + settings.endpoint() + ": " + describe(cause)
        + "; reconnecting in " + delay.toMillis() + " ms");
    schedule(delay);
  }

  private void schedule(Duration delay) {
    try {
      poller.schedule(this::cycle, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!isClosing()) {
        throw e;
      }
    }
  }

  private String healthyDetail() {
    return "polling " + settings.endpoint() + " unit " + settings.unitId() + ": " + settings.points().size()
        + " points in " + requests.size() + " read requests every " + settings.pollInterval().toMillis() + " ms";
  }

  private void emit(Reading reading) {
    synchronized (lock) {
      if (!closed) {
        context.emit(reading);
      }
    }
  }

  /** Reports a state, unless it and its detail are what was last reported. */
  private void report(SourceState state, String detail) {
    if (state == reportedState && Objects.equals(detail, reportedDetail)) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      context.reportState(state, detail);
    }
    if (state != SourceState.CONNECTED || !detail.equals(healthyDetail())) {
      LOG.warn("Modbus source {}: {} ({})", context.sourceName(), state, detail);
    } else {
      LOG.info("Modbus source {}: {} ({})", context.sourceName(), state, detail);
    }
    reportedState = state;
    reportedDetail = detail;
  }

  private boolean isClosing() {
    synchronized (lock) {
      return closed;
    }
  }

  private static String exceptionName(ModbusResponseException e) {
    String name = ExceptionCode.from(e.getExceptionCode()).map(Enum::name).orElse("unknown exception");
    return name + " (exception code " + e.getExceptionCode() + ")";
  }

  /** The innermost useful cause, as {@code SimpleName: message}. */
  static String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof ModbusExecutionException || cause instanceof ModbusTimeoutException
        || cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static void awaitTermination(ScheduledExecutorService executor) {
    try {
      if (!executor.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the Modbus poll thread did not end within {}", SHUTDOWN_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
