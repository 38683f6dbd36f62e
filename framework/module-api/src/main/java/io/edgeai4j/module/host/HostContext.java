package io.edgeai4j.module.host;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.DesiredPropertiesException;
import io.edgeai4j.module.DesiredPropertiesListener;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.InputHandler;
import io.edgeai4j.module.MethodHandler;
import io.edgeai4j.module.ModuleContext;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.UnknownKeys;
import io.edgeai4j.module.host.ModuleHost.State;
import io.edgeai4j.module.metrics.FrameworkMetrics;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModuleContext} the module sees: it checks the module's calls against the host's state and
 * passes them on (sends to {@link Outputs}, reported properties to the transport, registrations to {@link HandlerDispatch},
 * the binding to {@link TwinUpdates}, connection listeners to {@link ConnectionMonitor}), and runs the
 * module's scheduled tasks. Owned by {@link ModuleHost}; it owns the scheduler's threads, which
 * {@link HostLifecycle} ends ({@link #cancelScheduledTasks()}).
 *
 * <p>Thread-safe: it keeps no state of its own but the scheduler (thread-safe); the state it checks is
 * volatile.
 */
final class HostContext implements ModuleContext {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class); // the host's lines, one name
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final ModuleIdentity identity;
  private final String moduleId;
  private final Map<String, String> environment;
  private final ModuleTransport transport;
  private final PrometheusRegistry registry;
  private final FrameworkMetrics metrics;
  private final HostState state;
  private final HandlerDispatch dispatch;
  private final TwinUpdates twin;
  private final ConnectionMonitor connection;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Outputs outputs;

  HostContext(ModuleIdentity identity, Map<String, String> environment, ModuleTransport transport,
      PrometheusRegistry registry, FrameworkMetrics metrics, HostState state, HandlerDispatch dispatch,
      TwinUpdates twin, ConnectionMonitor connection, Outputs outputs) {
    this.identity = identity;
    this.moduleId = identity.moduleId();
    this.environment = environment;
    this.transport = transport;
    this.registry = registry;
    this.metrics = metrics;
    this.state = state;
    this.dispatch = dispatch;
    this.twin = twin;
    this.connection = connection;
    this.outputs = outputs;
    this.scheduler = new ScheduledThreadPoolExecutor(2, ModuleHost.threads(moduleId, "scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
  }

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
    outputs.send(outputName, message);
  }

  @Override
  public CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    requireName("Output", outputName);
    Objects.requireNonNull(message, "message");
    requireOpen("send a message");
    return outputs.sendAsync(outputName, message);
  }

  @Override
  public void onInput(String inputName, InputHandler handler) {
    requireName("Input", inputName);
    Objects.requireNonNull(handler, "handler");
    dispatch.registerInput(inputName, handler);
  }

  @Override
  public void onMethod(String methodName, MethodHandler handler) {
    requireName("Method", methodName);
    Objects.requireNonNull(handler, "handler");
    dispatch.registerMethod(methodName, handler);
  }

  @Override
  public <T> void bindDesiredProperties(Class<T> type, UnknownKeys unknownKeys,
      DesiredPropertiesListener<T> listener) throws DesiredPropertiesException {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unknownKeys, "unknownKeys");
    Objects.requireNonNull(listener, "listener");
    State s = state.get();
    if (s != State.STARTING && s != State.RUNNING) {
      throw new IllegalStateException("Module " + moduleId + " is " + s
          + "; bind desired properties in EdgeModule.start()");
    }
    twin.bind(type, unknownKeys, listener);
  }

  @Override
  public void warnDesiredProperty(String pointer, String warning) {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(warning, "warning");
    twin.warn(pointer, warning);
  }

  @Override
  public void updateReportedProperties(ObjectNode patch) throws TransportException {
    Objects.requireNonNull(patch, "patch");
    requireOpen("update reported properties");
    transport.updateReportedProperties(patch);
  }

  @Override
  public ConnectionStatus connectionStatus() {
    return connection.status();
  }

  @Override
  public void onConnectionStatusChange(Consumer<ConnectionStatusChange> l) {
    connection.addModuleListener(Objects.requireNonNull(l, "listener"));
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
      throw new IllegalStateException("Module " + moduleId + " is " + state.get() + "; cannot schedule a task", e);
    }
  }

  @Override
  public PrometheusRegistry metricsRegistry() {
    return registry;
  }

  /** Cancels the scheduled tasks and interrupts those running; new ones are refused. */
  void cancelScheduledTasks() {
    scheduler.shutdownNow();
  }

  /** Waits up to the timeout for interrupted scheduled tasks to end. */
  void awaitScheduledTasks(Duration timeout) {
    try {
      scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runScheduled(ModuleTask task, Duration period) {
    try {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (state.get() == State.RUNNING) {
        metrics.scheduledTaskError(moduleId);
        LOG.error("Module {}: a scheduled task was interrupted; it runs again in {}", identity, period, e);
      }
    } catch (Exception e) {
      metrics.scheduledTaskError(moduleId);
      LOG.error("Module {}: a scheduled task failed; it runs again in {}", identity, period, e);
    }
  }

  private void requireOpen(String what) {
    State s = state.get();
    if (s == State.CREATED || s == State.STOPPED || s == State.FAILED || state.transportClosed()) {
      throw new IllegalStateException("Module " + moduleId + " cannot " + what + ": it is " + s);
    }
  }

  private static String requireName(String kind, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(kind + " name must not be null or blank");
    }
    return name;
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
}
