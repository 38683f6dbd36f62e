package io.edgeai4j.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.ConnectionStatusChangeContext;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubConnectionStatusChangeReason;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodPayload;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's link to edgeHub through the Azure IoT device SDK's {@link ModuleClient}, always over MQTT
 * ({@code ssl://<gateway>:8883}).
 *
 * <p>What {@link #open} sets up: an explicit, logged {@code ExponentialBackoffWithJitter} retry policy and
 * the reconnect window from {@link AzureTransportOptions}; one input callback that dispatches on the input
 * name; the direct-method and desired-properties subscriptions; and a connection-status callback that logs
 * every change and forwards it to the listener. When edgeHub goes away the SDK reports
 * {@code DISCONNECTED_RETRYING} and reconnects by itself, for up to {@link AzureTransportOptions#reconnectTimeout()};
 * the module keeps running, sends fail with a retryable {@link TransportException} meanwhile, and on
 * {@code CONNECTED} this transport subscribes to direct methods and desired properties again, because an
 * edgeHub that restarted without its state does not remember them. edgeHub does not buffer desired-property
 * patches for a disconnected module, so a listener should read the twin again after a reconnection.
 *
 * <p>MQTT semantics worth knowing: edgeHub only gets a PUBACK for an input message, and the SDK sends it
 * when the input callback returns, whatever the callback answered; so the callback returns only once the
 * listener has answered (at-least-once). The module host redelivers and dead-letters what its handlers
 * abandon within that call, and answers {@link MessageDisposition#ABANDON} only when it does not take the
 * message now. So that such a message is not lost, this transport keeps it: when the transport is closing (a
 * module stopping) the callback returns only after the connection is closed, so that no PUBACK can be sent
 * and edgeHub delivers the message again on the next connection; while it is open (the host is still
 * starting, or a handler threw an {@link Error}) it offers the message to the listener again every
 * {@value #GIVEN_BACK_RETRY_MILLIS} ms.
 * {@link MessageDisposition#REJECT} is acknowledged: edgeHub drops the message. The SDK runs input,
 * direct-method and desired-property callbacks one at a time on its receive thread, so a slow input handler,
 * or one whose abandoned message waits for the host's next offer, delays method calls, twin patches and other
 * inputs; the {@code edgehub-mqtt} transport does not.
 *
 * <p>Ownership: the module host owns the transport, and the transport owns its {@link ModuleClient};
 * {@link #close()} closes both, and is idempotent. Thread-safety: all methods may be called from any
 * thread, concurrently; the listener is called from the SDK's threads and never after {@link #close()} has
 * begun.
 */
public final class AzureModuleTransport implements ModuleTransport {
  private static final Logger LOG = LoggerFactory.getLogger(AzureModuleTransport.class);
  /**
   * How long an input the listener gave back while the transport is open (the host is still starting) waits
   * before it is offered again. Handlers' abandons are redelivered by the host, not here.
   */
  static final long GIVEN_BACK_RETRY_MILLIS = 1000;
  /** The longest an abandoned input waits for the connection to close before the callback gives up. */
  private static final long CLOSE_WAIT_MILLIS = 30_000;

  private enum State { NEW, OPENING, OPEN, CLOSED }

  private final ModuleClient client;
  private final ModuleIdentity identity;
  private final AzureTransportOptions options;
  private final MessageConverter converter = new MessageConverter();
  private final AtomicBoolean warnedMqttDisposition = new AtomicBoolean();
  private final Object lock = new Object();
  private volatile State state = State.NEW;
  private volatile TransportListener listener;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch clientClosed = new CountDownLatch(1);

  private AzureModuleTransport(ModuleClient client, AzureTransportOptions options) {
    this.client = client;
    this.options = options;
    this.identity = new ModuleIdentity(client.getConfig().getDeviceId(), client.getConfig().getModuleId());
  }

  /**
   * Creates a transport from a module connection string, the iotedgehubdev way:
   * {@code HostName=<hub>;GatewayHostName=<edgeHub host>;DeviceId=<d>;ModuleId=<m>;SharedAccessKey=<key>}.
   * Opens no connection.
   *
   * @param connectionString The module connection string; it must name a ModuleId.
   * @param trust The TLS trust for edgeHub's server certificate, e.g. from {@code EdgeModuleCACertificateFile}.
   * @param options Timeouts and the retry policy.
   * @return A new transport, owned by the caller.
   * @throws TransportException If the connection string is not valid; not retryable.
   */
  public static AzureModuleTransport fromConnectionString(
      String connectionString, SSLContext trust, AzureTransportOptions options) throws TransportException {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(options, "options");
    try {
      return new AzureModuleTransport(
          new ModuleClient(connectionString, IotHubClientProtocol.MQTT, clientOptions(options, trust)), options);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new TransportException("Module connection string is not usable: " + e.getMessage()
          + "; expected HostName=<hub>;GatewayHostName=<edgeHub host>;DeviceId=<device>;ModuleId=<module>;"
          + "SharedAccessKey=<key>", false, e);
    }
  }

  /**
   * Creates a transport the way a module runs under the IoT Edge runtime: through
   * {@code ModuleClient.createFromEnvironment}, which reads the {@code IOTEDGE_*} variables of this
   * process, has the workload API sign SAS tokens and fetches edgeHub's trust bundle from it. Opens no MQTT
   * connection, but does call the workload API.
   *
   * @param options Timeouts and the retry policy.
   * @return A new transport, owned by the caller.
   * @throws TransportException If the environment is incomplete (not retryable) or the workload API cannot
   *     be reached (retryable).
   */
  public static AzureModuleTransport fromEdgeRuntime(AzureTransportOptions options) throws TransportException {
    Objects.requireNonNull(options, "options");
    try {
      ModuleClient client = ModuleClient.createFromEnvironment(
          new JdkUnixDomainSocketChannel(options.workloadApiTimeout()), IotHubClientProtocol.MQTT,
          clientOptions(options, null));
      return new AzureModuleTransport(client, options);
    } catch (IotHubClientException e) {
      // The status code decides here: the SDK reports an unreachable workload API as IO_ERROR (retryable)
      // wrapped around an exception that says nothing more, so name the URI it tried.
      throw new TransportException("Cannot create the module client from the IoT Edge environment (workload API "
          + System.getenv("IOTEDGE_WORKLOADURI") + "): " + describe(e), e.isRetryable(), e);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new TransportException("IoT Edge environment is not usable: " + e.getMessage(), false, e);
    }
  }

  private static ClientOptions clientOptions(AzureTransportOptions options, SSLContext trust) {
    return ClientOptions.builder()
        .sslContext(trust)
        .keepAliveInterval((int) options.keepAlive().getSeconds())
        // MQTT drops the connection when the SAS token expires and the SDK reconnects with a fresh one:
        // routine, not an error.
        .logRoutineDisconnectsAsErrors(false)
        .build();
  }

  @Override
  public ModuleIdentity identity() {
    return identity;
  }

  /** Returns the options this transport was created with. */
  public AzureTransportOptions options() {
    return options;
  }

  /**
   * Connects to edgeHub, then subscribes to direct methods and desired properties. May be called once. While
   * edgeHub cannot be reached (not started yet, restarting) the connection is retried within
   * {@link AzureTransportOptions#reconnectTimeout()}; an error the SDK marks as permanent (edgeHub's
   * certificate is not trusted, the credentials are refused) ends the attempt at once.
   *
   * @throws TransportException If edgeHub cannot be reached in time or refuses the module; the transport is
   *     then closed.
   * @throws IllegalStateException If the transport was opened or closed before.
   */
  @Override
  public void open(TransportListener listener) throws TransportException {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (state == State.CLOSED) {
        throw new IllegalStateException("AzureModuleTransport for " + identity + " is closed");
      }
      if (state != State.NEW) {
        throw new IllegalStateException("AzureModuleTransport for " + identity + " was already opened");
      }
      this.listener = listener;
      state = State.OPENING;
    }
    client.setConnectionStatusChangeCallback(this::onStatusChanged, null);
    client.setRetryPolicy(new LoggingRetryPolicy(identity.toString(), options));
    client.setOperationTimeout(options.reconnectTimeout().toMillis());
    client.setMessageCallback(this::onInputMessage, null);
    LOG.info("{}: connecting to edgeHub over MQTT ({})", identity, options);
    int subscribeMillis = (int) options.subscribeTimeout().toMillis();
    try {
      client.open(true);
      client.subscribeToMethods(this::onMethodInvoked, null, subscribeMillis);
      client.subscribeToDesiredProperties(this::onDesiredProperties, null, subscribeMillis);
    } catch (IotHubClientException e) {
      closeAfterFailedOpen();
      throw new TransportException("Cannot connect " + identity + " to edgeHub: " + describe(e), isRetryable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAfterFailedOpen();
      throw new TransportException("Interrupted while connecting " + identity + " to edgeHub", true, e);
    } catch (IllegalStateException e) {
      closeAfterFailedOpen();
      throw new TransportException("Transport for " + identity + " was closed while connecting: " + e.getMessage(),
          false, e);
    }
    synchronized (lock) {
      if (state == State.OPENING) {
        state = State.OPEN;
      }
    }
    LOG.info("{}: connected to edgeHub and subscribed to inputs, direct methods and desired properties", identity);
  }

  /**
   * Sends a message to an output and waits up to {@link AzureTransportOptions#sendTimeout()} for edgeHub's
   * acknowledgement.
   *
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}; nothing is
   *     sent.
   * @throws IllegalArgumentException If the output name is empty, the body is empty (the SDK refuses empty
   *     telemetry over MQTT) or a property cannot be sent.
   * @throws TransportException If edgeHub did not acknowledge the message in time or refused it.
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public void send(String outputName, EdgeMessage message) throws TransportException {
    Objects.requireNonNull(outputName, "outputName");
    Objects.requireNonNull(message, "message");
    requireOpen();
    OutputChecks.requireSendable(outputName, message);
    if (message.bodyLength() == 0) {
      throw new IllegalArgumentException("Message for output '" + outputName + "' has an empty body; the Azure IoT"
          + " device SDK refuses to send empty telemetry over MQTT");
    }
    int timeoutMillis = (int) options.sendTimeout().toMillis();
    Message sdkMessage = converter.toSdk(message, outputName, timeoutMillis);
    try {
      client.sendEvent(sdkMessage, outputName, timeoutMillis);
    } catch (IotHubClientException e) {
      throw new TransportException("edgeHub did not accept the message for output '" + outputName + "' from "
          + identity + ": " + describe(e), isRetryable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while sending to output '" + outputName + "'", true, e);
    } catch (IllegalStateException e) {
      throw notOpenAnyMore("send to output '" + outputName + "'", e);
    }
  }

  /**
   * Reads the whole twin, waiting up to {@link AzureTransportOptions#twinTimeout()}; an attempt that gets no
   * answer within {@link AzureTransportOptions#twinAttemptTimeout()} is asked again.
   *
   * @throws TransportException If edgeHub did not answer in time or answered with an error.
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public TwinDocument getTwin() throws TransportException {
    requireOpen();
    Twin twin;
    try {
      twin = twinOperation("the twin request", client::getTwin);
    } catch (IotHubClientException e) {
      throw new TransportException("edgeHub did not return the twin of " + identity + ": " + describe(e),
          isRetryable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while reading the twin of " + identity, true, e);
    } catch (IllegalStateException e) {
      throw notOpenAnyMore("read the twin", e);
    }
    if (twin == null) {
      throw new TransportException("edgeHub answered the twin request of " + identity + " without a twin", true,
          null);
    }
    return new TwinDocument(
        TwinConverter.toObjectNode(twin.getDesiredProperties()),
        TwinConverter.toObjectNode(twin.getReportedProperties()));
  }

  /**
   * Patches the reported properties, waiting up to {@link AzureTransportOptions#twinTimeout()}; an attempt that
   * gets no answer within {@link AzureTransportOptions#twinAttemptTimeout()} is sent again (a patch applied
   * twice has the same effect). Nested objects are merged, a null value deletes a key, and an empty patch
   * sends nothing.
   *
   * @throws TransportException If edgeHub did not answer in time or refused the patch.
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public void updateReportedProperties(ObjectNode patch) throws TransportException {
    Objects.requireNonNull(patch, "patch");
    requireOpen();
    if (patch.isEmpty()) {
      return;
    }
    TwinCollection reported = TwinConverter.toTwinCollection(patch);
    try {
      twinOperation("the reported-properties patch", timeout -> client.updateReportedProperties(reported, timeout));
    } catch (IotHubClientException e) {
      throw new TransportException("edgeHub did not accept the reported properties of " + identity + ": "
          + describe(e), isRetryable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while updating the reported properties of " + identity, true, e);
    } catch (IllegalStateException e) {
      throw notOpenAnyMore("update reported properties", e);
    }
  }

  /** One attempt of a twin operation, given its timeout in milliseconds. */
  @FunctionalInterface
  private interface TwinCall<T> {
    T call(int timeoutMillis) throws IotHubClientException, InterruptedException;
  }

  /**
   * Runs a twin operation, asking again when an attempt gets no answer: the SDK 2.5.0 can lose edgeHub's
   * answer when its receive thread acknowledges the response and drops the request's correlation entry
   * before the MQTT thread has looked it up (azure-iot-sdk-java#1803).
   */
  private <T> T twinOperation(String what, TwinCall<T> call) throws IotHubClientException, InterruptedException {
    long deadline = System.nanoTime() + options.twinTimeout().toNanos();
    long attemptMillis = options.twinAttemptTimeout().toMillis();
    for (int attempt = 1; ; attempt++) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      int timeoutMillis = (int) Math.max(1, Math.min(attemptMillis, remainingMillis));
      try {
        return call.call(timeoutMillis);
      } catch (IotHubClientException e) {
        if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || System.nanoTime() >= deadline) {
          throw e;
        }
        LOG.warn("{}: no answer from edgeHub to {} within {} ms (attempt {}); asking again: edgeHub may have"
            + " answered and the SDK lost the answer (azure-iot-sdk-java#1803)", identity, what, timeoutMillis,
            attempt);
      }
    }
  }

  /** Closes the SDK client and its connection; idempotent. The listener is not called any more. */
  @Override
  public void close() {
    if (shutDown()) {
      LOG.info("{}: transport closed", identity);
    }
  }

  @Override
  public String toString() {
    return "AzureModuleTransport{" + identity + ", " + state + '}';
  }

  private void closeAfterFailedOpen() {
    shutDown();
  }

  /** Marks the transport closed and closes the client, once; returns whether this call did it. */
  private boolean shutDown() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return false;
      }
      state = State.CLOSED;
    }
    closing.countDown();
    closeClient();
    clientClosed.countDown();
    return true;
  }

  private void closeClient() {
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the module client failed: {}", identity, e.toString(), e);
    }
  }

  private void requireOpen() {
    State current = state;
    if (current == State.CLOSED) {
      throw new IllegalStateException("AzureModuleTransport for " + identity + " is closed");
    }
    if (current != State.OPEN) {
      throw new IllegalStateException("AzureModuleTransport for " + identity + " is not open; call open() first");
    }
  }

  /**
   * Translates the SDK's IllegalStateException: after {@link #close()} it stays one (the caller is
   * stopping); otherwise the SDK is between connections, which is worth retrying.
   */
  private TransportException notOpenAnyMore(String operation, IllegalStateException e) {
    if (state == State.CLOSED) {
      throw new IllegalStateException("AzureModuleTransport for " + identity + " is closed", e);
    }
    return new TransportException("Cannot " + operation + " for " + identity + " now: " + e.getMessage(), true, e);
  }

  // ---- SDK callbacks; they run on the SDK's threads and must not throw. ----

  private IotHubMessageResult onInputMessage(Message message, Object context) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      LOG.debug("{}: input message arrived while closing; not delivered", identity);
      return IotHubMessageResult.ABANDON;
    }
    String inputName = message.getInputName();
    if (inputName == null || inputName.isEmpty()) {
      LOG.error("{}: dropped a message from edgeHub that names no input (its topic carried no system property);"
          + " only messages on devices/<d>/modules/<m>/inputs/<input>/<properties> are delivered", identity);
      return IotHubMessageResult.REJECT;
    }
    EdgeMessage input = converter.fromSdk(message, inputName);
    MessageDisposition disposition = deliver(current, inputName, input);
    // The listener gave the message back (the host redelivers its handlers' abandons itself): keep it, as the
    // SDK acknowledges whatever this callback returns.
    while (disposition == MessageDisposition.ABANDON) {
      if (awaitClosing(GIVEN_BACK_RETRY_MILLIS)) {
        holdUntilDisconnected(inputName, input);
        return IotHubMessageResult.ABANDON;
      }
      disposition = deliver(current, inputName, input);
    }
    if (disposition == MessageDisposition.REJECT && warnedMqttDisposition.compareAndSet(false, true)) {
      LOG.warn("{}: input '{}' rejected a message; over MQTT edgeHub only gets an acknowledgement, so the"
          + " message is acknowledged and dropped (warned once)", identity, inputName);
    }
    return disposition == MessageDisposition.COMPLETE ? IotHubMessageResult.COMPLETE : IotHubMessageResult.REJECT;
  }

  private MessageDisposition deliver(TransportListener current, String inputName, EdgeMessage input) {
    try {
      MessageDisposition disposition = current.onInputMessage(inputName, input);
      if (disposition == null) {
        LOG.error("{}: input '{}' handler returned no disposition; message rejected", identity, inputName);
        return MessageDisposition.REJECT;
      }
      return disposition;
    } catch (RuntimeException e) {
      LOG.error("{}: input '{}' handler threw; message rejected", identity, inputName, e);
      return MessageDisposition.REJECT;
    }
  }

  /** Waits up to the given time for {@link #close()} to begin; true when it has. */
  private boolean awaitClosing(long millis) {
    try {
      return closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /**
   * Returns only once the connection is closed, so that the SDK cannot acknowledge the abandoned message
   * and edgeHub delivers it again on the next connection.
   */
  private void holdUntilDisconnected(String inputName, EdgeMessage input) {
    try {
      if (!clientClosed.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.error("{}: the connection did not close within {} ms; the abandoned message {} on input '{}' may be"
            + " acknowledged and lost", identity, CLOSE_WAIT_MILLIS, input.messageId().orElse("?"), inputName);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("{}: message {} on input '{}' was abandoned while closing; it was not acknowledged, so edgeHub"
        + " delivers it again on the next connection", identity, input.messageId().orElse("?"), inputName);
  }

  private DirectMethodResponse onMethodInvoked(String methodName, DirectMethodPayload payload, Object context) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      return errorResponse(503, "Module " + identity + " is stopping");
    }
    MethodResponse response;
    try {
      JsonNode request = TwinConverter.toJackson(payload);
      response = current.onMethodInvoked(new MethodRequest(methodName, request));
    } catch (RuntimeException e) {
      LOG.error("{}: direct method '{}' failed", identity, methodName, e);
      return errorResponse(500, "Direct method '" + methodName + "' failed: " + e);
    }
    if (response == null) {
      LOG.error("{}: direct method '{}' returned no response", identity, methodName);
      return errorResponse(500, "Direct method '" + methodName + "' returned no response");
    }
    try {
      return new DirectMethodResponse(response.status(), TwinConverter.toGson(response.payload()));
    } catch (RuntimeException e) {
      LOG.error("{}: direct method '{}' response cannot be sent", identity, methodName, e);
      return errorResponse(500, "Direct method '" + methodName + "' response cannot be sent: " + e.getMessage());
    }
  }

  private static DirectMethodResponse errorResponse(int status, String message) {
    return new DirectMethodResponse(status, TwinConverter.toGson(MethodResponse.error(status, message).payload()));
  }

  private void onDesiredProperties(Twin twin, Object context) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null || twin == null) {
      return;
    }
    ObjectNode patch = TwinConverter.toObjectNode(twin.getDesiredProperties());
    if (!patch.has(TwinDocument.VERSION)) {
      LOG.warn("{}: desired-properties patch without {} from edgeHub: {}", identity, TwinDocument.VERSION, patch);
    }
    try {
      current.onDesiredPropertiesPatch(patch);
    } catch (RuntimeException e) {
      LOG.error("{}: desired-properties listener threw on patch {}", identity, patch, e);
    }
  }

  private void onStatusChanged(ConnectionStatusChangeContext context) {
    ConnectionStatus status = toStatus(context.getNewStatus());
    IotHubConnectionStatusChangeReason reason = context.getNewStatusReason();
    Throwable cause = context.getCause();
    logStatus(status, reason, cause);
    if (status == ConnectionStatus.CONNECTED
        && context.getPreviousStatus() == IotHubConnectionStatus.DISCONNECTED_RETRYING
        && state == State.OPEN) {
      resubscribe();
    }
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      return;
    }
    try {
      current.onConnectionStatusChanged(new ConnectionStatusChange(status, toReason(reason), cause));
    } catch (RuntimeException e) {
      LOG.error("{}: connection status listener threw", identity, e);
    }
  }

  private static ConnectionStatusReason toReason(IotHubConnectionStatusChangeReason reason) {
    if (reason == null) {
      return ConnectionStatusReason.COMMUNICATION_ERROR;
    }
    switch (reason) {
      case CONNECTION_OK:
        return ConnectionStatusReason.CONNECTION_OK;
      case EXPIRED_SAS_TOKEN:
        return ConnectionStatusReason.EXPIRED_SAS_TOKEN;
      case BAD_CREDENTIAL:
        return ConnectionStatusReason.BAD_CREDENTIAL;
      case RETRY_EXPIRED:
        return ConnectionStatusReason.RETRY_EXPIRED;
      case NO_NETWORK:
        return ConnectionStatusReason.NO_NETWORK;
      case CLIENT_CLOSE:
        return ConnectionStatusReason.CLIENT_CLOSE;
      default:
        return ConnectionStatusReason.COMMUNICATION_ERROR;
    }
  }

  private void logStatus(ConnectionStatus status, IotHubConnectionStatusChangeReason reason, Throwable cause) {
    String why = cause == null ? "" : ": " + cause;
    switch (status) {
      case CONNECTED:
        LOG.info("{}: edgeHub connection CONNECTED ({})", identity, reason);
        break;
      case DISCONNECTED_RETRYING:
        if (reason == IotHubConnectionStatusChangeReason.EXPIRED_SAS_TOKEN) {
          LOG.info("{}: edgeHub connection DISCONNECTED_RETRYING ({}): routine SAS token renewal", identity, reason);
        } else {
          LOG.warn("{}: edgeHub connection DISCONNECTED_RETRYING ({}{}); reconnecting for up to {}", identity, reason,
              why, options.reconnectTimeout());
        }
        break;
      default:
        if (reason == IotHubConnectionStatusChangeReason.CLIENT_CLOSE) {
          LOG.info("{}: edgeHub connection DISCONNECTED ({})", identity, reason);
        } else {
          LOG.error("{}: edgeHub connection DISCONNECTED ({}{}); the SDK gave up reconnecting", identity, reason,
              why);
        }
    }
  }

  private void resubscribe() {
    LOG.info("{}: reconnected; subscribing to direct methods and desired properties again", identity);
    // The SDK calls a methods subscription's callback again for every method response it sends, so only
    // the first call is the subscription's acknowledgement.
    AtomicBoolean methodsAcknowledged = new AtomicBoolean();
    AtomicBoolean desiredAcknowledged = new AtomicBoolean();
    try {
      client.subscribeToMethodsAsync(this::onMethodInvoked, null,
          (error, ctx) -> logResubscription("direct methods", error, methodsAcknowledged), null);
      client.subscribeToDesiredPropertiesAsync(this::onDesiredProperties, null,
          (error, ctx) -> logResubscription("desired properties", error, desiredAcknowledged), null);
    } catch (RuntimeException e) {
      LOG.warn("{}: could not subscribe again after reconnecting: {}", identity, e.toString(), e);
    }
  }

  private void logResubscription(String what, IotHubClientException error, AtomicBoolean acknowledged) {
    if (!acknowledged.compareAndSet(false, true)) {
      return;
    }
    if (error == null) {
      LOG.info("{}: subscribed to {} again", identity, what);
    } else {
      LOG.warn("{}: subscribing to {} again failed: {}", identity, what, describe(error));
    }
  }

  private static ConnectionStatus toStatus(IotHubConnectionStatus status) {
    switch (status) {
      case CONNECTED:
        return ConnectionStatus.CONNECTED;
      case DISCONNECTED_RETRYING:
        return ConnectionStatus.DISCONNECTED_RETRYING;
      default:
        return ConnectionStatus.DISCONNECTED;
    }
  }

  /**
   * Says whether an SDK failure may go away: decided by the deepest SDK transport exception in the cause
   * chain, which is the protocol failure itself (for {@code open}, the status code says only IO_ERROR both
   * for "connection refused" and for "certificate not trusted").
   */
  static boolean isRetryable(IotHubClientException e) {
    com.microsoft.azure.sdk.iot.device.transport.TransportException deepest = null;
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
      if (cause instanceof com.microsoft.azure.sdk.iot.device.transport.TransportException) {
        deepest = (com.microsoft.azure.sdk.iot.device.transport.TransportException) cause;
      }
    }
    return deepest == null ? e.isRetryable() : deepest.isRetryable();
  }

  private static String describe(IotHubClientException e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage())).append(" (status ")
        .append(e.getStatusCode()).append(')');
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      text.append("; caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}
