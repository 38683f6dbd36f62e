package io.edgeai4j.module;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.spi.TransportException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A running module's view of its hub. Given to {@link EdgeModule#start(ModuleContext)}; all methods are
 * thread-safe. Handlers must be registered in {@code start}; registering the same input or method twice
 * is an error.
 */
public interface ModuleContext {
  /** Returns the module's device and module id. */
  ModuleIdentity identity();

  /**
   * Returns the module's environment: the manifest's {@code env} values and the variables IoT Edge
   * injects (e.g. {@code IOTEDGE_MODULEID}).
   */
  Map<String, String> environment();

  /**
   * Sends a message to a named output and waits until the hub has accepted it.
   *
   * @param outputName The output, as routes name it ({@code /messages/modules/<id>/outputs/<name>}).
   * @param message The message. Give a JSON body a content type ({@link EdgeMessage#json(String)} does): one
   *     without is sent, but edgeHub's {@code $body} routes evaluate to undefined on it, and the host warns.
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}.
   * @throws TransportException If the hub did not accept the message. Let a retryable one propagate out of an
   *     input handler to have the input abandoned (the hub offers it again) rather than rejected.
   * @throws IllegalStateException If the module has stopped. While a stop drains in-flight handlers they can
   *     still send, until the transport is closed.
   */
  void send(String outputName, EdgeMessage message) throws TransportException;

  /**
   * Sends a message to a named output without waiting for the hub: with a transport that pipelines sends
   * (its {@link io.edgeai4j.module.spi.ModuleTransport#sendAsync}), several sends are in flight at once, up to
   * the transport's bound. The size check is the same as {@link #send}'s and happens at once. An input handler
   * that must not complete its message before its outputs are stored waits for the futures it got (e.g.
   * {@code CompletableFuture.allOf(...).join()}) before it returns.
   *
   * @param outputName The output, as routes name it.
   * @param message The message; see {@link #send}.
   * @return Completes when the hub has accepted the message; fails with the {@link TransportException} (or
   *     runtime exception) {@link #send} would have thrown. Counted as sent or refused when it completes.
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}.
   * @throws IllegalStateException If the module has stopped.
   */
  default CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    try {
      send(outputName, message);
      return CompletableFuture.completedFuture(null);
    } catch (TransportException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Registers the handler of a named input.
   *
   * @param inputName The input, as routes name it ({@code BrokeredEndpoint("/modules/<id>/inputs/<name>")}).
   * @param handler The handler; messages on one input are handled one at a time, in order.
   */
  void onInput(String inputName, InputHandler handler);

  /**
   * Registers the handler of a direct method. Calls of unregistered methods get status 404, naming the
   * registered methods.
   *
   * @param methodName The method name.
   * @param handler The handler.
   */
  void onMethod(String methodName, MethodHandler handler);

  /**
   * Binds the desired properties to an immutable configuration type with Jackson, ignoring and reporting
   * unknown keys: the same as {@link #bindDesiredProperties(Class, UnknownKeys, DesiredPropertiesListener)}
   * with {@link UnknownKeys#WARN}.
   *
   * @param type The configuration type (a record or a class with a {@code @JsonCreator}).
   * @param listener Receives each new configuration.
   * @param <T> The configuration type.
   * @throws DesiredPropertiesException If the twin read at start does not bind to {@code type}.
   */
  default <T> void bindDesiredProperties(Class<T> type, DesiredPropertiesListener<T> listener)
      throws DesiredPropertiesException {
    bindDesiredProperties(type, UnknownKeys.WARN, listener);
  }

  /**
   * Binds the desired properties to an immutable configuration type with Jackson. The listener is called
   * at once with the configuration from the full twin, then after each patch with the configuration
   * from the whole merged document. When a patch skips a {@code $version}, has a lower one (the twin was
   * reset) or has none, and when the connection comes back after being lost, the host reads the whole twin
   * again before binding (retrying with backoff if the read fails); a re-read that finds the document
   * unchanged calls nothing. A document that does not bind (wrong type, a null for a primitive, a
   * constructor that rejects a value, or an unknown key under {@link UnknownKeys#REFUSE}) leaves the previous
   * configuration in place and is reported in the reported property {@code configurationStatus}
   * ({@code status: "invalid"}, {@code error}).
   *
   * <p>Under {@link UnknownKeys#WARN} a key the type does not know, at any depth, is ignored and the rest
   * applies; {@code configurationStatus.warnings} lists one line for each such key, e.g.
   * {@code "/sensors/vibration/windw: unknown key, ignored; did you mean 'window'?"}, for as long as the
   * document holds it. The listener may add its own with {@link #warnDesiredProperty(String, String)}.
   *
   * @param type The configuration type (a record or a class with a {@code @JsonCreator}).
   * @param unknownKeys Whether an unknown key is ignored with a warning or refuses the document.
   * @param listener Receives each new configuration.
   * @param <T> The configuration type.
   * @throws DesiredPropertiesException If the twin read at start does not bind to {@code type}.
   */
  <T> void bindDesiredProperties(Class<T> type, UnknownKeys unknownKeys, DesiredPropertiesListener<T> listener)
      throws DesiredPropertiesException;

  /**
   * Adds a warning to the {@code configurationStatus} of the desired properties being applied: for content
   * the module accepts but ignores that the binding cannot see, such as an unknown key inside a plug-in's
   * settings. Call it from the {@link DesiredPropertiesListener}, on the thread that calls it, while it
   * applies; the warnings are reported when the listener returns normally and dropped when it throws. All
   * warnings are listed in the order their pointers appear in the document.
   *
   * @param pointer Where in the desired properties, as a JSON pointer ({@code /sources/line1/sped}).
   * @param warning What was found and what the module did, e.g. {@code "unknown key, ignored"}.
   * @throws IllegalStateException If no listener is applying on this thread.
   */
  void warnDesiredProperty(String pointer, String warning);

  /**
   * Updates reported properties; a null value deletes a key.
   *
   * @param patch The patch.
   * @throws TransportException If the hub did not accept the patch.
   */
  void updateReportedProperties(ObjectNode patch) throws TransportException;

  /** Returns the current connection status. */
  ConnectionStatus connectionStatus();

  /** Registers a listener for connection status changes. */
  void onConnectionStatusChange(Consumer<ConnectionStatusChange> listener);

  /**
   * Runs a task at a fixed rate until the module stops, first one period after this call. Runs of one task
   * never overlap; a run that takes longer than the period delays the next. A task that throws is logged and
   * counted, and runs again at its next time. Tasks are cancelled before {@link EdgeModule#stop()}.
   *
   * @param period The period.
   * @param task The task.
   * @return The task's future, to cancel it early.
   */
  Future<?> schedule(Duration period, ModuleTask task);

  /** Returns the registry the module's metrics live in; served on {@code :9600/metrics}. */
  PrometheusRegistry metricsRegistry();

  /** A task run by {@link #schedule(Duration, ModuleTask)}. */
  @FunctionalInterface
  interface ModuleTask {
    /**
     * Runs once.
     *
     * @throws Exception If the run failed.
     */
    void run() throws Exception;
  }
}
