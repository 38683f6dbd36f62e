package io.edgeai4j.module.host;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DesiredPropertiesListener;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.MethodHandler;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.metrics.FrameworkMetrics.RefusalReason;
import io.edgeai4j.module.metrics.HealthCheck;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link EdgeModule} on one {@link ModuleTransport}: it gives the module its {@link ModuleContext},
 * receives what the transport delivers, and records the {@link FrameworkMetrics} of the module.
 *
 * <pre>{@code
 * ModuleHost host = ModuleHost.builder().module(new Doubler()).transport(transport).build();
 * host.start();   // open the transport, read the twin, module.start(context)
 * ...
 * host.stop();    // drain in-flight input, module.stop(), close the transport
 * }</pre>
 *
 * <p><b>Ownership.</b> The host owns the transport and closes it (on {@link #stop()}, or when
 * {@link #start()} fails). It owns its threads: one per registered input, one for the twin (patches,
 * whole-twin reads and their retries), and a scheduler of two threads for {@link ModuleContext#schedule};
 * all are daemon threads and all end with {@link #stop()}. It does not own the module (it calls
 * {@link EdgeModule#stop()} but keeps no other hold on it) or the metrics registry.
 *
 * <p><b>Threads.</b> All public methods are thread-safe. {@link #start()} and {@link #stop()} are
 * serialized; a {@code stop()} that finds the host starting closes the transport to abort the start, then
 * waits for it. Whether a stop aborts the start or stops a running host is decided atomically with the
 * start's move to {@link State#RUNNING}, so a host that reaches {@code RUNNING} always drains before its
 * transport is closed. Messages on one input are handled one at a time, in the order the transport
 * delivered them, on that input's thread; different inputs, method calls and scheduled tasks run
 * concurrently.
 *
 * <p><b>Input.</b> Input (and method calls) arriving before the module is running wait until
 * {@code EdgeModule.start()} has returned, so that its handlers are registered. The wait is bounded: a transport
 * that delivers input on the thread it needs to answer the twin read would otherwise never let the start finish
 * (see {@link TransportListener}). Once one message has waited {@link #START_INPUT_WAIT} in vain, input is
 * abandoned (methods answer 503) until the module runs, with a warning. A handler that throws gets its message
 * rejected, logged and counted, unless what it threw is (or is caused by) a retryable
 * {@link TransportException}, e.g. a {@code send} while edgeHub reconnects or its store is full: that message
 * is abandoned, so that the hub keeps it and offers it again, and logged. A message on an input with no
 * handler is rejected, with a warning naming the registered inputs. Once {@code stop()} has begun, new input
 * is abandoned so that the hub keeps it.
 *
 * <p><b>Output.</b> {@link ModuleContext#send} warns once per output, and counts in
 * {@link FrameworkMetrics#MESSAGES_WITHOUT_CONTENT_TYPE}, messages whose body is a JSON object or array but
 * which carry no {@code contentType}: edgeHub accepts them, but its {@code $body} route conditions evaluate
 * to undefined on them. They are still sent.
 *
 * <p><b>Twin.</b> The whole twin is read at start. A desired patch whose {@code $version} is one more than
 * the last is merged into the cached document (JSON merge patch: null deletes); a patch with the same
 * {@code $version} is a duplicate and ignored; a patch that skips versions, has a lower one (the twin was
 * reset) or has none makes the host read the whole twin again. So does a reconnection
 * ({@link ConnectionStatus#CONNECTED} after {@link ConnectionStatus#DISCONNECTED_RETRYING} or
 * {@link ConnectionStatus#DISCONNECTED}), because the hub drops patches sent while the module is offline.
 * Such a read that fails is retried on the twin thread with exponential backoff (1 s doubling to 60 s)
 * until it succeeds or the host stops. After each change the document is bound again and the outcome is
 * reported in the reported property {@code configurationStatus}; a re-read that finds the document unchanged
 * binds nothing.
 */
public final class ModuleHost implements HealthCheck {
  /** The lifecycle of a host; it only moves forward. */
  public enum State {
    /** Built, not started. */
    CREATED,
    /** In {@link #start()}: opening the transport, reading the twin, starting the module. */
    STARTING,
    /** Started: input, methods and patches are delivered to the module. */
    RUNNING,
    /** In {@link #stop()}: draining in-flight input, stopping the module, closing the transport. */
    STOPPING,
    /** Stopped, everything closed. */
    STOPPED,
    /** {@link #start()} failed; everything it opened is closed. */
    FAILED
  }

  /**
   * The default time {@link #stop()} waits for in-flight handlers: 8 seconds. IoT Edge (edgelet) stops a
   * module's container with Docker's default grace period of 10 seconds unless the deployment sets another
   * one, and then kills it. The drain must end before that, leaving time to interrupt handlers still running
   * (up to one more second), call {@link EdgeModule#stop()} and close the transport; otherwise the kill cuts
   * the drain short and the in-flight messages are neither completed nor abandoned. A deployment with a
   * longer stop grace period can raise it ({@code EDGEAI4J_DRAIN_TIMEOUT_SECONDS} in {@link EdgeModuleMain},
   * {@link Builder#drainTimeout(Duration)} here).
   */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(8);

  /** How long input that arrives while the module is starting waits for the start to finish. */
  public static final Duration START_INPUT_WAIT = Duration.ofSeconds(10);

  /** The {@link ConnectionStatusChange#reason()} of a routine reconnection to renew the SAS token. */
  static final ConnectionStatusReason SAS_TOKEN_RENEWAL = ConnectionStatusReason.EXPIRED_SAS_TOKEN;

  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class);
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final EdgeModule module;
  private final ModuleTransport transport;
  private final ModuleIdentity identity;
  private final String moduleId;
  private final Map<String, String> environment;
  private final PrometheusRegistry registry;
  private final FrameworkMetrics metrics;
  private final Duration drainTimeout;
  private final Duration startInputWait;
  private final DesiredProperties desired;
  private final Context context = new Context();
  private final Listener listener = new Listener();

  private final ReentrantLock lifecycle = new ReentrantLock();
  // Guards the move out of STARTING against stop(): start() moves to RUNNING only when no stop was
  // requested, and stop() requests an abort only while the host is STARTING, both holding this lock.
  private final Object startTransition = new Object();
  private volatile State state = State.CREATED;
  private volatile boolean stopRequested; // set under startTransition
  private final CountDownLatch startGate = new CountDownLatch(1);
  private volatile boolean startWaitExpired;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean transportClosed = new AtomicBoolean();

  private final Object dispatchLock = new Object();
  private boolean accepting; // guarded by dispatchLock
  private int inFlight; // guarded by dispatchLock: input messages and method calls being handled
  private int abandonedWhileStopping; // guarded by dispatchLock
  private volatile boolean drainExpired;

  private final Map<String, InputDispatcher> inputs = new ConcurrentHashMap<>();
  private final Map<String, MethodHandler> methods = new ConcurrentHashMap<>();
  private final Object registrationLock = new Object();
  private final Set<String> warnedUnknownInputs = ConcurrentHashMap.newKeySet();
  private final Set<String> warnedJsonWithoutContentType = ConcurrentHashMap.newKeySet();
  private final List<Consumer<ConnectionStatusChange>> connectionListeners = new CopyOnWriteArrayList<>();
  private final Object statusLock = new Object();
  private volatile ConnectionStatus connectionStatus = ConnectionStatus.DISCONNECTED;
  private boolean statusReported; // guarded by statusLock
  private boolean connectionLost; // guarded by statusLock: DISCONNECTED(_RETRYING) reported, CONNECTED not yet
  private volatile boolean contextClosed;
  private final List<Consumer<ConnectionStatusChange>> hostConnectionListeners;

  private final ScheduledThreadPoolExecutor twinExecutor;
  private final ScheduledThreadPoolExecutor scheduler;

  private ModuleHost(Builder builder) {
    this.module = builder.module;
    this.transport = builder.transport;
    this.identity = Objects.requireNonNull(transport.identity(), "transport.identity()");
    this.moduleId = identity.moduleId();
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
    this.registry = builder.registry;
    this.metrics = FrameworkMetrics.forRegistry(registry);
    this.drainTimeout = builder.drainTimeout;
    this.startInputWait = builder.startInputWait;
    // One thread: patches, reads and retries run in the order they were queued (or fell due).
    this.twinExecutor = new ScheduledThreadPoolExecutor(1, threads("twin"));
    this.twinExecutor.setRemoveOnCancelPolicy(true);
    this.desired = new DesiredProperties(transport, metrics, identity, twinExecutor, builder.firstTwinRetryDelay,
        builder.maxTwinRetryDelay);
    this.scheduler = new ScheduledThreadPoolExecutor(2, threads("scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.hostConnectionListeners = List.copyOf(builder.connectionListeners);
  }

  /** Returns a builder; {@link Builder#module} and {@link Builder#transport} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the identity of the module, as its transport connects. */
  public ModuleIdentity identity() {
    return identity;
  }

  /** Returns the current lifecycle state. */
  public State state() {
    return state;
  }

  /** Returns the connection status last reported by the transport. */
  public ConnectionStatus connectionStatus() {
    return connectionStatus;
  }

  /**
   * Says whether the host works: it has not failed or stopped, and its transport has not given up
   * ({@link ConnectionStatus#DISCONNECTED} while running). A module whose link is being retried is live.
   */
  @Override
  public boolean isLive() {
    State s = state;
    return switch (s) {
      case CREATED, STARTING, STOPPING -> true;
      case RUNNING -> connectionStatus != ConnectionStatus.DISCONNECTED;
      case STOPPED, FAILED -> false;
    };
  }

  /** Says whether the module is running, connected, and not stopping. */
  @Override
  public boolean isReady() {
    return state == State.RUNNING && connectionStatus == ConnectionStatus.CONNECTED;
  }

  /** Returns the state, with the connection status when the module runs but is not connected. */
  @Override
  public String describe() {
    State s = state;
    ConnectionStatus c = connectionStatus;
    return s == State.RUNNING && c != ConnectionStatus.CONNECTED ? s + ", " + c : s.name();
  }

  /**
   * Starts the module: opens the transport, reads the whole twin, then calls
   * {@link EdgeModule#start(ModuleContext)}. On failure everything opened is closed and the state is
   * {@link State#FAILED} ({@link State#STOPPED} when {@link #stop()} aborted the start). When a stop aborts
   * the start after {@code EdgeModule.start} has returned, {@link EdgeModule#stop()} is called too.
   *
   * @throws ModuleStartException Naming the step that failed.
   * @throws IllegalStateException If the host was already started or stopped.
   */
  public void start() throws ModuleStartException {
    lifecycle.lock();
    try {
      if (state != State.CREATED) {
        throw new IllegalStateException("Module host of " + identity + " is " + state
            + "; a host starts once, build a new one to start the module again");
      }
      state = State.STARTING;
      metrics.initModule(moduleId);
      LOG.info("Starting module {} ({}) on {}", identity, module.getClass().getName(),
          transport.getClass().getSimpleName());
      ModuleStartException.Stage stage = ModuleStartException.Stage.OPEN_TRANSPORT;
      boolean moduleStarted = false;
      try {
        transport.open(listener);
        synchronized (statusLock) {
          if (!statusReported) {
            connectionStatus = ConnectionStatus.CONNECTED;
          }
          metrics.setConnected(moduleId, connectionStatus == ConnectionStatus.CONNECTED);
        }
        checkStopRequested();
        stage = ModuleStartException.Stage.READ_TWIN;
        readTwinOnTwinThread();
        checkStopRequested();
        stage = ModuleStartException.Stage.START_MODULE;
        module.start(context);
        moduleStarted = true;
        synchronized (startTransition) {
          checkStopRequested();
          synchronized (dispatchLock) {
            accepting = true;
          }
          state = State.RUNNING;
        }
      } catch (Throwable t) {
        throw failStart(stage, moduleStarted, t);
      }
      startGate.countDown();
      LOG.info("Module {} is running; inputs {}, methods {}, connection {}", identity,
          new TreeSet<>(inputs.keySet()), new TreeSet<>(methods.keySet()), connectionStatus);
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Stops the module gracefully; safe to call more than once and from any thread (a second call waits for
   * the first to finish). It stops accepting input (new input is abandoned so the hub keeps it), waits up
   * to the drain timeout for in-flight handlers (those still running then are interrupted, given one more
   * second, and their messages abandoned), cancels scheduled tasks, calls {@link EdgeModule#stop()}, and
   * closes the transport. A host that never started just closes its transport. A host that is starting is
   * aborted: its transport is closed at once (which ends a blocked open or twin read), and this call waits for
   * the start to give up; a start that has already reached {@link State#RUNNING} is stopped as above instead.
   */
  public void stop() {
    boolean abortStart = false;
    synchronized (startTransition) {
      if (state == State.STARTING) {
        stopRequested = true;
        abortStart = true;
      }
    }
    if (abortStart) {
      // The start can no longer reach RUNNING: closing the transport only aborts it.
      LOG.info("Stop requested while module {} is starting; closing the transport to abort the start", identity);
      closeTransport();
    }
    lifecycle.lock();
    try {
      switch (state) {
        case CREATED -> {
          closeTransport();
          releaseThreads();
          terminate(State.STOPPED);
        }
        case RUNNING -> stopRunning();
        default -> {
          // STOPPED or FAILED: already done. STARTING and STOPPING cannot be seen while holding the lock.
        }
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Waits until the host is {@link State#STOPPED} or {@link State#FAILED}.
   *
   * @throws InterruptedException If interrupted while waiting.
   */
  public void awaitStopped() throws InterruptedException {
    terminated.await();
  }

  /**
   * Waits until the host is {@link State#STOPPED} or {@link State#FAILED}, or the timeout passes.
   *
   * @param timeout The longest wait.
   * @return True when stopped or failed.
   * @throws InterruptedException If interrupted while waiting.
   */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "ModuleHost{" + identity + ", " + describe() + '}';
  }

  private void readTwinOnTwinThread() throws Exception {
    // On the twin thread, so that patches queued behind it are applied after it, in order.
    Future<?> read = twinExecutor.submit(() -> {
      desired.readAtStart();
      return null;
    });
    try {
      read.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private void checkStopRequested() {
    if (stopRequested) {
      throw new StopRequestedException();
    }
  }

  private ModuleStartException failStart(ModuleStartException.Stage stage, boolean moduleStarted, Throwable t) {
    startGate.countDown();
    releaseThreads();
    if (moduleStarted) {
      // EdgeModule.start() returned, then a stop aborted the start: let the module release what it acquired.
      try {
        module.stop();
      } catch (Exception | LinkageError e) {
        LOG.warn("Module {}: EdgeModule.stop() failed; going on closing", identity, e);
      }
    }
    closeTransport();
    metrics.setConnected(moduleId, false);
    boolean aborted = stopRequested;
    terminate(aborted ? State.STOPPED : State.FAILED);
    Throwable cause = t instanceof StopRequestedException ? null : t;
    String detail = aborted
        ? "stop was requested while starting" + (cause == null ? "" : " (" + describe(cause) + ")")
        : describe(t);
    ModuleStartException e = new ModuleStartException(identity, stage, detail, cause);
    if (aborted) {
      LOG.info(e.getMessage());
    } else {
      LOG.error(e.getMessage(), cause);
    }
    if (t instanceof Error error && !(t instanceof LinkageError)) {
      throw error;
    }
    return e;
  }

  private void stopRunning() {
    state = State.STOPPING;
    long started = System.nanoTime();
    long deadline = started + drainTimeout.toNanos();
    int draining;
    synchronized (dispatchLock) {
      accepting = false;
      draining = inFlight;
    }
    LOG.info("Stopping module {}: no longer accepting input; waiting up to {} for {} in-flight handler(s)",
        identity, drainTimeout, draining);
    int stillRunning = awaitDrain(deadline);
    if (stillRunning > 0) {
      drainExpired = true;
      LOG.warn("Module {}: {} handler(s) still running after the drain timeout of {}; interrupting them and"
          + " abandoning their messages so that the hub delivers them again", identity, stillRunning, drainTimeout);
      for (InputDispatcher dispatcher : inputs.values()) {
        dispatcher.cancel();
      }
      awaitDrain(System.nanoTime() + INTERRUPT_GRACE.toNanos());
    }
    for (InputDispatcher dispatcher : inputs.values()) {
      dispatcher.executor.shutdown();
    }
    scheduler.shutdownNow();
    awaitQuietly(scheduler, INTERRUPT_GRACE);
    try {
      module.stop();
    } catch (Exception | LinkageError e) {
      LOG.warn("Module {}: EdgeModule.stop() failed; going on closing", identity, e);
    }
    contextClosed = true;
    twinExecutor.shutdownNow();
    closeTransport();
    metrics.setConnected(moduleId, false);
    int abandoned;
    synchronized (dispatchLock) {
      abandoned = abandonedWhileStopping;
    }
    LOG.info("Module {} stopped in {} ms: {} in-flight handler(s) drained, {} cut off at the drain timeout,"
            + " {} message(s) that arrived while stopping abandoned",
        identity, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        draining - stillRunning, stillRunning, abandoned);
    terminate(State.STOPPED);
  }

  /** Waits until nothing is in flight or the deadline passes; returns how many are still in flight. */
  private int awaitDrain(long deadline) {
    synchronized (dispatchLock) {
      try {
        while (inFlight > 0) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(dispatchLock, remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inFlight;
    }
  }

  private void releaseThreads() {
    for (InputDispatcher dispatcher : inputs.values()) {
      dispatcher.executor.shutdownNow();
    }
    scheduler.shutdownNow();
    twinExecutor.shutdownNow();
  }

  private void closeTransport() {
    if (transportClosed.compareAndSet(false, true)) {
      try {
        transport.close();
      } catch (RuntimeException e) {
        LOG.warn("Module {}: closing the transport failed", identity, e);
      }
    }
  }

  private void terminate(State finalState) {
    state = finalState;
    terminated.countDown();
  }

  private void exitDispatch() {
    synchronized (dispatchLock) {
      inFlight--;
      if (inFlight == 0) {
        dispatchLock.notifyAll();
      }
    }
  }

  /** Waits for the end of start; returns false when interrupted or when waiting has expired. */
  private boolean awaitStart(String what) {
    if (startGate.getCount() == 0) {
      return true;
    }
    if (startWaitExpired) {
      return false;
    }
    try {
      if (startGate.await(startInputWait.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!startWaitExpired) {
      startWaitExpired = true;
      LOG.warn("Module {}: {} waited {} for the module to finish starting; abandoning input and answering"
          + " methods with 503 until it runs. If the transport delivers input on the thread that answers the twin"
          + " read, the start cannot finish while input waits (see TransportListener)", identity, what,
          startInputWait);
    }
    return false;
  }

  private ThreadFactory threads(String role) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(r, "edgeai4j-" + moduleId + "-" + role + (n == 1 ? "" : "-" + n));
      t.setDaemon(true);
      return t;
    };
  }

  private static void awaitQuietly(ExecutorService executor, Duration timeout) {
    try {
      executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static String requireName(String kind, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(kind + " name must not be null or blank");
    }
    return name;
  }

  /** Returns the first {@link TransportException} in a cause chain when it is retryable, else null. */
  static TransportException retryableTransportFailure(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TransportException transportFailure) {
        return transportFailure.isRetryable() ? transportFailure : null;
      }
    }
    return null;
  }

  /**
   * Says whether a message's body is a JSON object or array. Cheap for other bodies: the body is not copied,
   * and only one whose first non-whitespace byte is '{' or '[' is parsed.
   */
  static boolean hasJsonContainerBody(EdgeMessage message) {
    try (InputStream body = message.bodyStream()) {
      int first = body.read();
      while (first == ' ' || first == '\t' || first == '\n' || first == '\r') {
        first = body.read();
      }
      if (first != '{' && first != '[') {
        return false;
      }
      JsonNode node = JSON.readTree(message.bodyStream());
      return node != null && node.isContainerNode();
    } catch (IOException e) {
      return false;
    }
  }

  /** Wraps a twin-thread task so that an unexpected failure is logged (a scheduled executor would keep it). */
  private Runnable twinTask(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Module {}: {} failed on the twin thread", identity, what, e);
      }
    };
  }

  /** Thrown inside start() when stop() asked to abort it. */
  private static final class StopRequestedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequestedException() {
      super("stop requested", null, false, false);
    }
  }

  /** One input: its handler and the thread that runs it. */
  private final class InputDispatcher {
    private final String name;
    private final InputHandler handler;
    private final ThreadPoolExecutor executor;

    InputDispatcher(String name, InputHandler handler) {
      this.name = name;
      this.handler = handler;
      this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
          threads("input-" + name));
    }

    MessageDisposition dispatch(EdgeMessage message) {
      Future<MessageDisposition> result;
      try {
        result = executor.submit(() -> handle(message));
      } catch (RejectedExecutionException e) {
        return MessageDisposition.ABANDON;
      }
      try {
        return result.get();
      } catch (CancellationException e) {
        return MessageDisposition.ABANDON;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Module {}: the transport thread waiting on input '{}' was interrupted; abandoning the message",
            identity, name);
        return MessageDisposition.ABANDON;
      } catch (ExecutionException e) {
        LOG.error("Module {}: handler of input '{}' threw an error; abandoning the message", identity, name,
            e.getCause());
        metrics.inputError(moduleId, name);
        return MessageDisposition.ABANDON;
      }
    }

    private MessageDisposition handle(EdgeMessage message) {
      if (drainExpired) {
        return MessageDisposition.ABANDON;
      }
      try {
        MessageDisposition disposition = handler.handle(message);
        if (disposition == null) {
          LOG.error("Module {}: handler of input '{}' returned null; rejecting message {}. Return COMPLETE,"
              + " ABANDON or REJECT", identity, name, message.messageId().orElse("<no id>"));
          metrics.inputError(moduleId, name);
          return MessageDisposition.REJECT;
        }
        if (disposition == MessageDisposition.REJECT) {
          LOG.warn("Module {}: handler of input '{}' rejected message {}", identity, name,
              message.messageId().orElse("<no id>"));
        }
        return disposition;
      } catch (Exception e) {
        if (drainExpired) {
          LOG.warn("Module {}: handler of input '{}' was cut off at the drain timeout ({}); abandoning the message",
              identity, name, describe(e));
          return MessageDisposition.ABANDON;
        }
        TransportException retryable = retryableTransportFailure(e);
        if (retryable != null) {
          LOG.warn("Module {}: handler of input '{}' failed on message {} because the hub did not take what it"
              + " sent, for now ({}); abandoning the message so that the hub keeps it and offers it again",
              identity, name, message.messageId().orElse("<no id>"), describe(retryable));
          return MessageDisposition.ABANDON;
        }
        LOG.error("Module {}: handler of input '{}' failed on message {}; rejecting it", identity, name,
            message.messageId().orElse("<no id>"), e);
        metrics.inputError(moduleId, name);
        return MessageDisposition.REJECT;
      }
    }

    void cancel() {
      for (Runnable queued : executor.shutdownNow()) {
        if (queued instanceof Future<?> future) {
          future.cancel(false);
        }
      }
    }
  }

  /** What the transport calls. */
  private final class Listener implements TransportListener {
    @Override
    public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
      MessageDisposition disposition = awaitStart("input '" + inputName + "'")
          ? deliver(inputName, message) : MessageDisposition.ABANDON;
      metrics.messageReceived(moduleId, inputName, disposition);
      return disposition;
    }

    private MessageDisposition deliver(String inputName, EdgeMessage message) {
      synchronized (dispatchLock) {
        if (!accepting) {
          if (state == State.STOPPING || state == State.STOPPED) {
            abandonedWhileStopping++;
          }
          LOG.debug("Module {} is {}; abandoning a message on input '{}'", identity, state, inputName);
          return MessageDisposition.ABANDON;
        }
        inFlight++;
      }
      metrics.addInputsInFlight(moduleId, 1);
      try {
        InputDispatcher dispatcher = inputs.get(inputName);
        if (dispatcher == null) {
          String text = "Module {} got a message on input '{}', which has no handler; rejecting it. Registered"
              + " inputs: {}. Check the routes: BrokeredEndpoint(\"/modules/{}/inputs/{}\")";
          Object[] args = {identity, inputName, new TreeSet<>(inputs.keySet()), moduleId, inputName};
          if (warnedUnknownInputs.add(inputName)) {
            LOG.warn(text, args);
          } else {
            LOG.debug(text, args);
          }
          metrics.inputError(moduleId, inputName);
          return MessageDisposition.REJECT;
        }
        EdgeMessage withInput = inputName.equals(message.systemProperty(SystemProperties.INPUT_NAME).orElse(null))
            ? message : message.toBuilder().systemProperty(SystemProperties.INPUT_NAME, inputName).build();
        return dispatcher.dispatch(withInput);
      } finally {
        metrics.addInputsInFlight(moduleId, -1);
        exitDispatch();
      }
    }

    @Override
    public void onDesiredPropertiesPatch(ObjectNode patch) {
      ObjectNode copy = patch.deepCopy();
      try {
        twinExecutor.execute(twinTask("applying a desired patch", () -> desired.applyPatch(copy)));
      } catch (RejectedExecutionException e) {
        LOG.debug("Module {} is {}; ignoring desired patch {}", identity, state, copy.path("$version"));
      }
    }

    @Override
    public MethodResponse onMethodInvoked(MethodRequest request) {
      MethodResponse response = awaitStart("method '" + request.methodName() + "'") ? invoke(request)
          : MethodResponse.error(503, "Module " + moduleId + " is " + state + "; try again later");
      String name = request.methodName();
      metrics.methodCall(moduleId, methods.containsKey(name) ? name : FrameworkMetrics.UNREGISTERED_METHOD,
          response.status());
      return response;
    }

    private MethodResponse invoke(MethodRequest request) {
      String name = request.methodName();
      MethodHandler handler = methods.get(name);
      synchronized (dispatchLock) {
        if (!accepting) {
          return MethodResponse.error(503, "Module " + moduleId + " is " + state + "; try again later");
        }
        inFlight++;
      }
      try {
        if (handler == null) {
          return MethodResponse.error(404, "Module " + moduleId + " has no method '" + name
              + "'; registered methods: " + new TreeSet<>(methods.keySet()));
        }
        MethodResponse response = handler.invoke(request);
        if (response == null) {
          LOG.error("Module {}: method '{}' returned null; answering 500", identity, name);
          return MethodResponse.error(500, "Method '" + name + "' of module " + moduleId + " returned no response");
        }
        return response;
      } catch (Exception e) {
        LOG.error("Module {}: method '{}' failed", identity, name, e);
        return MethodResponse.error(500, "Method '" + name + "' of module " + moduleId + " failed: " + describe(e));
      } finally {
        exitDispatch();
      }
    }

    @Override
    public void onConnectionStatusChanged(ConnectionStatusChange change) {
      boolean reconnected;
      synchronized (statusLock) {
        statusReported = true;
        connectionStatus = change.status();
        metrics.setConnected(moduleId, change.status() == ConnectionStatus.CONNECTED);
        reconnected = change.status() == ConnectionStatus.CONNECTED && connectionLost;
        connectionLost = change.status() != ConnectionStatus.CONNECTED;
      }
      switch (change.status()) {
        case CONNECTED -> LOG.info("Module {} connected ({})", identity, change.reason());
        case DISCONNECTED_RETRYING -> {
          if (change.reason() == SAS_TOKEN_RENEWAL) {
            // The SDK reconnects with a new token before the old one expires, every hour or so: routine.
            LOG.info("Module {} is renewing its SAS token ({}); the transport reconnects and the module keeps"
                + " running", identity, change.reason());
          } else {
            LOG.warn("Module {} lost its connection ({}{}); the transport is retrying and the module keeps running",
                identity, change.reason(), causeText(change));
          }
        }
        case DISCONNECTED -> {
          if (state == State.RUNNING) {
            LOG.error("Module {} is disconnected for good ({}{})", identity, change.reason(), causeText(change));
          } else {
            LOG.info("Module {} disconnected ({})", identity, change.reason());
          }
        }
      }
      if (reconnected) {
        readTwinAfterReconnect();
      }
      notify(hostConnectionListeners, change);
      if (!contextClosed) {
        notify(connectionListeners, change);
      }
    }

    private void readTwinAfterReconnect() {
      State s = state;
      if (s != State.STARTING && s != State.RUNNING) {
        return;
      }
      try {
        twinExecutor.execute(twinTask("reading the twin after reconnecting", desired::readAfterReconnect));
      } catch (RejectedExecutionException e) {
        LOG.debug("Module {} is {}; not reading the twin after reconnecting", identity, state);
      }
    }

    private void notify(List<Consumer<ConnectionStatusChange>> listeners, ConnectionStatusChange change) {
      for (Consumer<ConnectionStatusChange> l : listeners) {
        try {
          l.accept(change);
        } catch (RuntimeException e) {
          LOG.warn("Module {}: a connection status listener failed", identity, e);
        }
      }
    }

    private String causeText(ConnectionStatusChange change) {
      return change.cause() == null ? "" : ": " + describe(change.cause());
    }
  }

  /** What the module sees. */
  private final class Context implements ModuleContext {
    @Override
    public ModuleIdentity identity() {
      return identity;
    }

    @Override
    public Map<String, String> environment() {
      return environment;
    }

    @Override
    public void send(String outputName, EdgeMessage message) throws TransportException {
      requireName("Output", outputName);
      Objects.requireNonNull(message, "message");
      requireOpen("send a message");
      EdgeMessage outgoing = message.toBuilder().systemProperty(SystemProperties.OUTPUT_NAME, outputName).build();
      int size = outgoing.sizeInBytes();
      if (size > EdgeMessage.MAX_SIZE_BYTES) {
        metrics.messageRefused(moduleId, outputName, RefusalReason.TOO_LARGE);
        throw new MessageTooLargeException(outputName, size);
      }
      if (outgoing.contentType().isEmpty() && hasJsonContainerBody(outgoing)) {
        metrics.messageWithoutContentType(moduleId, outputName);
        if (warnedJsonWithoutContentType.add(outputName)) {
          LOG.warn("Module {}: a message sent to output '{}' has a JSON body but no contentType; $body routes will"
              + " evaluate to undefined on edgeHub; create it with EdgeMessage.json(...) (sending it anyway; warned"
              + " once per output, {} counts them)", identity, outputName,
              FrameworkMetrics.MESSAGES_WITHOUT_CONTENT_TYPE);
        }
      }
      try {
        transport.send(outputName, outgoing);
      } catch (TransportException | RuntimeException e) {
        metrics.messageRefused(moduleId, outputName, RefusalReason.TRANSPORT);
        throw e;
      }
      metrics.messageSent(moduleId, outputName);
    }

    @Override
    public void onInput(String inputName, InputHandler handler) {
      requireName("Input", inputName);
      Objects.requireNonNull(handler, "handler");
      synchronized (registrationLock) {
        requireStarting("an input handler");
        if (inputs.containsKey(inputName)) {
          throw new IllegalStateException("Input '" + inputName + "' of module " + moduleId + " already has a handler");
        }
        inputs.put(inputName, new InputDispatcher(inputName, handler));
      }
    }

    @Override
    public void onMethod(String methodName, MethodHandler handler) {
      requireName("Method", methodName);
      Objects.requireNonNull(handler, "handler");
      synchronized (registrationLock) {
        requireStarting("a method handler");
        if (methods.containsKey(methodName)) {
          throw new IllegalStateException("Method '" + methodName + "' of module " + moduleId + " already has a handler");
        }
        methods.put(methodName, handler);
      }
    }

    @Override
    public <T> void bindDesiredProperties(Class<T> type, DesiredPropertiesListener<T> listener)
        throws DesiredPropertiesException {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(listener, "listener");
      State s = state;
      if (s != State.STARTING && s != State.RUNNING) {
        throw new IllegalStateException("Module " + moduleId + " is " + s + "; bind desired properties in EdgeModule.start()");
      }
      desired.bind(type, listener);
    }

    @Override
    public void updateReportedProperties(ObjectNode patch) throws TransportException {
      Objects.requireNonNull(patch, "patch");
      requireOpen("update reported properties");
      transport.updateReportedProperties(patch);
    }

    @Override
    public ConnectionStatus connectionStatus() {
      return connectionStatus;
    }

    @Override
    public void onConnectionStatusChange(Consumer<ConnectionStatusChange> l) {
      connectionListeners.add(Objects.requireNonNull(l, "listener"));
    }

    @Override
    public Future<?> schedule(Duration period, ModuleTask task) {
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(task, "task");
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("Schedule period must be positive, was " + period);
      }
      long nanos = period.toNanos();
      try {
        return scheduler.scheduleAtFixedRate(() -> runScheduled(task, period), nanos, nanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        throw new IllegalStateException("Module " + moduleId + " is " + state + "; cannot schedule a task", e);
      }
    }

    @Override
    public PrometheusRegistry metricsRegistry() {
      return registry;
    }

    private void runScheduled(ModuleTask task, Duration period) {
      try {
        task.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (state == State.RUNNING) {
          metrics.scheduledTaskError(moduleId);
          LOG.error("Module {}: a scheduled task was interrupted; it runs again in {}", identity, period, e);
        }
      } catch (Exception e) {
        metrics.scheduledTaskError(moduleId);
        LOG.error("Module {}: a scheduled task failed; it runs again in {}", identity, period, e);
      }
    }

    private void requireStarting(String what) {
      if (state != State.STARTING) {
        throw new IllegalStateException("Register " + what + " in EdgeModule.start(); module " + moduleId + " is "
            + state);
      }
    }

    private void requireOpen(String what) {
      State s = state;
      if (s == State.CREATED || s == State.STOPPED || s == State.FAILED || transportClosed.get()) {
        throw new IllegalStateException("Module " + moduleId + " cannot " + what + ": it is " + s);
      }
    }
  }

  /**
   * Builds a {@link ModuleHost}. Not thread-safe.
   */
  public static final class Builder {
    private EdgeModule module;
    private ModuleTransport transport;
    private Map<String, String> environment = Map.of();
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private Duration startInputWait = START_INPUT_WAIT;
    private Duration firstTwinRetryDelay = DesiredProperties.FIRST_RETRY_DELAY;
    private Duration maxTwinRetryDelay = DesiredProperties.MAX_RETRY_DELAY;
    private final List<Consumer<ConnectionStatusChange>> connectionListeners = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the module to run (required).
     *
     * @param module The module, not yet started.
     * @return This builder.
     */
    public Builder module(EdgeModule module) {
      this.module = Objects.requireNonNull(module, "module");
      return this;
    }

    /**
     * Sets the transport (required); the host owns it from now on and closes it.
     *
     * @param transport The transport, not yet opened.
     * @return This builder.
     */
    public Builder transport(ModuleTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Sets the environment the module sees through {@link ModuleContext#environment()}; default empty.
     *
     * @param environment The variables; copied.
     * @return This builder.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /**
     * Sets the registry for the framework metrics and {@link ModuleContext#metricsRegistry()}; default
     * {@link PrometheusRegistry#defaultRegistry}.
     *
     * @param registry The registry; not owned by the host.
     * @return This builder.
     */
    public Builder metricsRegistry(PrometheusRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets how long {@link ModuleHost#stop()} waits for in-flight handlers; default
     * {@link #DEFAULT_DRAIN_TIMEOUT} (8 seconds, to end within Docker's default stop grace period of 10).
     *
     * @param drainTimeout Zero or more.
     * @return This builder.
     */
    public Builder drainTimeout(Duration drainTimeout) {
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      if (drainTimeout.isNegative()) {
        throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
      }
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** Sets how long input waits for the start to finish; for tests, default {@link #START_INPUT_WAIT}. */
    Builder startInputWait(Duration wait) {
      this.startInputWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Sets the delays between retries of a failed whole-twin read; for tests, default 1 s doubling to 60 s. */
    Builder twinRetryDelays(Duration first, Duration max) {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(max, "max");
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("Twin retry delays must be positive, first <= max; were " + first
            + ", " + max);
      }
      this.firstTwinRetryDelay = first;
      this.maxTwinRetryDelay = max;
      return this;
    }

    /** Adds a listener of connection status changes that is called for as long as the host lives. */
    Builder connectionListener(Consumer<ConnectionStatusChange> listener) {
      connectionListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the host, in state {@link State#CREATED}.
     *
     * @return The host.
     * @throws IllegalStateException If the module or the transport is missing.
     */
    public ModuleHost build() {
      if (module == null) {
        throw new IllegalStateException("ModuleHost needs a module: call module(...)");
      }
      if (transport == null) {
        throw new IllegalStateException("ModuleHost needs a transport: call transport(...)");
      }
      return new ModuleHost(this);
    }
  }
}
