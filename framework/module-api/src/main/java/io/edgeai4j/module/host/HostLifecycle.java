package io.edgeai4j.module.host;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.host.ModuleHost.State;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and stop sequences of one host, and the only writer of its {@link HostState}. Owned by
 * {@link ModuleHost}, which delegates {@code start()}, {@code stop()} and {@code awaitStopped()} to it. It
 * closes the transport and ends every thread of the host (input, twin and scheduler), through the parts that
 * own them.
 *
 * <p>Thread-safe. {@link #start()} and {@link #stop()} are serialized by the {@code lifecycle} lock. The
 * {@code startTransition} lock makes the start's move to {@link State#RUNNING} and a stop's decision to
 * abort the start mutually exclusive, so a host that reaches {@code RUNNING} always drains before its
 * transport is closed. Lock order: {@code lifecycle}, then {@code startTransition}, then
 * {@link HandlerDispatch}'s lock; {@link #stop()} releases {@code startTransition} before it takes
 * {@code lifecycle}.
 */
final class HostLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);

  private final EdgeModule module;
  private final ModuleTransport transport;
  private final ModuleIdentity identity;
  private final String moduleId;
  private final FrameworkMetrics metrics;
  private final Duration drainTimeout;
  private final HostState state;
  private final HandlerDispatch dispatch;
  private final TwinUpdates twin;
  private final ConnectionMonitor connection;
  private final HostContext context;
  private final TransportListener listener;

  private final ReentrantLock lifecycle = new ReentrantLock();
  // Guards the move out of STARTING against stop(): start() moves to RUNNING only when no stop was
  // requested, and stop() requests an abort only while the host is STARTING, both holding this lock.
  private final Object startTransition = new Object();
  private volatile boolean stopRequested; // set under startTransition
  private final CountDownLatch terminated = new CountDownLatch(1);

  HostLifecycle(EdgeModule module, ModuleTransport transport, ModuleIdentity identity, FrameworkMetrics metrics,
      Duration drainTimeout, HostState state, HandlerDispatch dispatch, TwinUpdates twin,
      ConnectionMonitor connection, HostContext context, TransportListener listener) {
    this.module = module;
    this.transport = transport;
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.metrics = metrics;
    this.drainTimeout = drainTimeout;
    this.state = state;
    this.dispatch = dispatch;
    this.twin = twin;
    this.connection = connection;
    this.context = context;
    this.listener = listener;
  }

  /** See {@link ModuleHost#start()}. */
  void start() throws ModuleStartException {
    lifecycle.lock();
    try {
      if (state.get() != State.CREATED) {
        throw new IllegalStateException("Module host of " + identity + " is " + state.get()
            + "; a host starts once, build a new one to start the module again");
      }
      state.set(State.STARTING);
      metrics.initModule(moduleId);
      LOG.info("Starting module {} ({}) on {}", identity, module.getClass().getName(),
          transport.getClass().getSimpleName());
      ModuleStartException.Stage stage = ModuleStartException.Stage.OPEN_TRANSPORT;
      boolean moduleStarted = false;
      try {
        transport.open(listener);
        connection.assumeConnectedUnlessReported();
        checkStopRequested();
        stage = ModuleStartException.Stage.READ_TWIN;
        twin.readAtStart();
        checkStopRequested();
        stage = ModuleStartException.Stage.START_MODULE;
        module.start(context);
        moduleStarted = true;
        synchronized (startTransition) {
          checkStopRequested();
          dispatch.startAccepting();
          state.set(State.RUNNING);
        }
      } catch (Throwable t) {
        throw failStart(stage, moduleStarted, t);
      }
      dispatch.openStartGate();
      LOG.info("Module {} is running; inputs {}, methods {}, connection {}", identity, dispatch.inputNames(),
          dispatch.methodNames(), connection.status());
    } finally {
      lifecycle.unlock();
    }
  }

  /** See {@link ModuleHost#stop()}. */
  void stop() {
    boolean abortStart = false;
    synchronized (startTransition) {
      if (state.get() == State.STARTING) {
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
      switch (state.get()) {
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

  /** See {@link ModuleHost#awaitStopped()}. */
  void awaitStopped() throws InterruptedException {
    terminated.await();
  }

  /** See {@link ModuleHost#awaitStopped(Duration)}. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void checkStopRequested() {
    if (stopRequested) {
      throw new StopRequestedException();
    }
  }

  private ModuleStartException failStart(ModuleStartException.Stage stage, boolean moduleStarted, Throwable t) {
    dispatch.openStartGate();
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
        ? "stop was requested while starting" + (cause == null ? "" : " (" + ModuleHost.describe(cause) + ")")
        : ModuleHost.describe(t);
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
    state.set(State.STOPPING);
    long started = System.nanoTime();
    long deadline = started + drainTimeout.toNanos();
    int draining = dispatch.stopAccepting();
    LOG.info("Stopping module {}: no longer accepting input; waiting up to {} for {} in-flight handler(s)",
        identity, drainTimeout, draining);
    int stillRunning = dispatch.awaitDrain(deadline);
    if (stillRunning > 0) {
      dispatch.expireDrain();
      LOG.warn("Module {}: {} handler(s) still running after the drain timeout of {}; interrupting them and"
          + " abandoning their messages so that the hub delivers them again", identity, stillRunning, drainTimeout);
      dispatch.cancelInputs();
      dispatch.awaitDrain(System.nanoTime() + INTERRUPT_GRACE.toNanos());
    }
    dispatch.shutdownInputs();
    context.cancelScheduledTasks();
    context.awaitScheduledTasks(INTERRUPT_GRACE);
    try {
      module.stop();
    } catch (Exception | LinkageError e) {
      LOG.warn("Module {}: EdgeModule.stop() failed; going on closing", identity, e);
    }
    connection.closeContext();
    twin.shutdownNow();
    closeTransport();
    metrics.setConnected(moduleId, false);
    int abandoned = dispatch.abandonedWhileStopping();
    LOG.info("Module {} stopped in {} ms: {} in-flight handler(s) drained, {} cut off at the drain timeout,"
            + " {} message(s) that arrived while stopping abandoned",
        identity, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        draining - stillRunning, stillRunning, abandoned);
    terminate(State.STOPPED);
  }

  private void releaseThreads() {
    dispatch.shutdownInputsNow();
    context.cancelScheduledTasks();
    twin.shutdownNow();
  }

  private void closeTransport() {
    if (state.markTransportClosed()) {
      try {
        transport.close();
      } catch (RuntimeException e) {
        LOG.warn("Module {}: closing the transport failed", identity, e);
      }
    }
  }

  private void terminate(State finalState) {
    state.set(finalState);
    terminated.countDown();
  }

  /** Thrown inside start() when stop() asked to abort it. */
  private static final class StopRequestedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequestedException() {
      super("stop requested", null, false, false);
    }
  }
}
