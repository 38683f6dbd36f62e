package io.edgeai4j.module.host;

import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.metrics.HealthCheck;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.retry.BackoffPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
 * {@link TransportException}, e.g. a {@code send} while edgeHub reconnects or its store is full: that counts
 * as an abandon. A message on an input with no handler is rejected, with a warning naming the registered
 * inputs. Once {@code stop()} has begun, new input is abandoned so that the hub keeps it.
 *
 * <p><b>Redelivery.</b> A message its handler abandons is offered to the same handler again, on the input's
 * thread, after the delays of {@link Builder#redeliveryBackoff} (default 1 s doubling to 30 s), up to
 * {@link Builder#maxDeliveryAttempts} offers (default 8); then it is dead-lettered: sent to the output
 * {@value #DEAD_LETTER_OUTPUT} with its properties and {@value #DEAD_LETTER_REASON}, {@value #DELIVERY_ATTEMPTS}
 * and {@value #DEAD_LETTER_INPUT}, logged at WARN with its message id, counted in
 * {@link FrameworkMetrics#INPUT_DEAD_LETTERED}, and completed. While it waits, later messages of the same input
 * wait behind it (order per input is kept); other inputs, methods and patches go on. The transport's
 * {@link TransportListener#onInputMessage} call blocks meanwhile, so what it acknowledges has been handled or
 * dead-lettered. A stop ends the wait at once: the message is abandoned to the transport (not acknowledged),
 * and so are the messages queued behind it.
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
 * Such a read that fails is retried on the twin thread with exponential backoff (1 s doubling to 60 s, with
 * the jitter of the project's {@code io.edgeai4j.retry} backoff)
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

  /**
   * The default delays between offers of an abandoned input message: 1 second doubling to 30 seconds, with
   * the project's default jitter (each delay between half and all of its base).
   */
  public static final BackoffPolicy DEFAULT_REDELIVERY_BACKOFF =
      BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /**
   * The default number of times an input message is offered to its handler before it is dead-lettered: 8 (with
   * {@link #DEFAULT_REDELIVERY_BACKOFF}, the 7 waits add up to between 45 and 91 seconds).
   */
  public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 8;

  /** The module output dead-lettered input messages are sent to; routes decide where they go. */
  public static final String DEAD_LETTER_OUTPUT = "deadLetters";
  /** The application property of a dead letter that says why it was dead-lettered. */
  public static final String DEAD_LETTER_REASON = "deadLetterReason";
  /** The application property of a dead letter that says how often it was offered to its handler. */
  public static final String DELIVERY_ATTEMPTS = "deliveryAttempts";
  /** The application property of a dead letter that names the input it arrived on. */
  public static final String DEAD_LETTER_INPUT = "deadLetterInput";

  // The host's parts, one job each, wired in the constructor: HostLifecycle (start and stop), HandlerDispatch
  // (input and methods), TwinUpdates (desired properties), ConnectionMonitor (connection status), HostContext
  // (what the module sees) and TransportEvents (what the transport calls).
  private final ModuleIdentity identity;
  private final HostState state = new HostState();
  private final ConnectionMonitor connection;
  private final HostLifecycle lifecycle;

  private ModuleHost(Builder builder) {
    ModuleTransport transport = builder.transport;
    this.identity = Objects.requireNonNull(transport.identity(), "transport.identity()");
    Map<String, String> environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
    FrameworkMetrics metrics = FrameworkMetrics.forRegistry(builder.registry);
    TwinUpdates twin = new TwinUpdates(transport, metrics, identity, state, builder.twinRetryPolicy);
    this.connection = new ConnectionMonitor(identity, metrics, state, twin, builder.connectionListeners);
    Outputs outputs = new Outputs(identity, transport, metrics);
    HandlerDispatch dispatch = new HandlerDispatch(identity, metrics, state, builder.startInputWait,
        new Redelivery(builder.redeliveryBackoff, builder.maxDeliveryAttempts), outputs);
    HostContext context = new HostContext(identity, environment, transport, builder.registry, metrics, state,
        dispatch, twin, connection, outputs);
    TransportEvents events = new TransportEvents(dispatch, twin, connection);
    this.lifecycle = new HostLifecycle(builder.module, transport, identity, metrics, builder.drainTimeout, state,
        dispatch, twin, connection, context, events);
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
    return state.get();
  }

  /** Returns the connection status last reported by the transport. */
  public ConnectionStatus connectionStatus() {
    return connection.status();
  }

  /**
   * Says whether the host works: it has not failed or stopped, and its transport has not given up
   * ({@link ConnectionStatus#DISCONNECTED} while running). A module whose link is being retried is live.
   */
  @Override
  public boolean isLive() {
    State s = state.get();
    return switch (s) {
      case CREATED, STARTING, STOPPING -> true;
      case RUNNING -> connection.status() != ConnectionStatus.DISCONNECTED;
      case STOPPED, FAILED -> false;
    };
  }

  /** Says whether the module is running, connected, and not stopping. */
  @Override
  public boolean isReady() {
    return state.get() == State.RUNNING && connection.status() == ConnectionStatus.CONNECTED;
  }

  /** Returns the state, with the connection status when the module runs but is not connected. */
  @Override
  public String describe() {
    State s = state.get();
    ConnectionStatus c = connection.status();
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
    lifecycle.start();
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
    lifecycle.stop();
  }

  /**
   * Waits until the host is {@link State#STOPPED} or {@link State#FAILED}.
   *
   * @throws InterruptedException If interrupted while waiting.
   */
  public void awaitStopped() throws InterruptedException {
    lifecycle.awaitStopped();
  }

  /**
   * Waits until the host is {@link State#STOPPED} or {@link State#FAILED}, or the timeout passes.
   *
   * @param timeout The longest wait.
   * @return True when stopped or failed.
   * @throws InterruptedException If interrupted while waiting.
   */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return lifecycle.awaitStopped(timeout);
  }

  @Override
  public String toString() {
    return "ModuleHost{" + identity + ", " + describe() + '}';
  }

  /** Describes a failure in the host's log lines and error messages. */
  static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** Returns the factory of one role's daemon threads, named after the module: the host's threads. */
  static ThreadFactory threads(String moduleId, String role) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(r, "edgeai4j-" + moduleId + "-" + role + (n == 1 ? "" : "-" + n));
      t.setDaemon(true);
      return t;
    };
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
    private BackoffPolicy twinRetryPolicy = DesiredProperties.RETRY_POLICY;
    private BackoffPolicy redeliveryBackoff = DEFAULT_REDELIVERY_BACKOFF;
    private int maxDeliveryAttempts = DEFAULT_MAX_DELIVERY_ATTEMPTS;
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

    /**
     * Sets the delays between offers of an abandoned input message to its handler; default
     * {@link #DEFAULT_REDELIVERY_BACKOFF} (1 s doubling to 30 s, with jitter). Tests use milliseconds.
     *
     * @param backoff The policy.
     * @return This builder.
     */
    public Builder redeliveryBackoff(BackoffPolicy backoff) {
      this.redeliveryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Sets how many times an input message is offered to its handler before it is dead-lettered to
     * {@link #DEAD_LETTER_OUTPUT}; default {@link #DEFAULT_MAX_DELIVERY_ATTEMPTS} (8).
     *
     * @param attempts 1 or more; 1 dead-letters a message the first time it is abandoned.
     * @return This builder.
     * @throws IllegalArgumentException If it is less than 1.
     */
    public Builder maxDeliveryAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1, was " + attempts);
      }
      this.maxDeliveryAttempts = attempts;
      return this;
    }

    /**
     * Sets the backoff between retries of a failed whole-twin read; for tests, default
     * {@link DesiredProperties#RETRY_POLICY} (1 s doubling to 60 s, with jitter).
     */
    Builder twinRetryPolicy(BackoffPolicy policy) {
      this.twinRetryPolicy = Objects.requireNonNull(policy, "policy");
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
