package io.edgeai4j.azure.edgehub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.azure.OutputChecks;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.EdgeHubWire;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;
import io.edgeai4j.retry.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's link to edgeHub over MQTT with Paho, on edgeHub's documented MQTT module surface (the topics the
 * Azure IoT device SDK uses), without the SDK: application properties of routed messages are kept, inputs,
 * methods and desired patches run on threads of their own, and sends are pipelined.
 *
 * <ul>
 *   <li>Connection: {@code ssl://{gateway}:{port}}, TLS trusting edgeHub's CA with host-name verification, client
 *       id {@code {d}/{m}}, username {@code {hub}/{d}/{m}/?api-version=2020-09-30&DeviceClientType=edgeai4j%2F<version>},
 *       password a SAS token good for {@link EdgeHubMqttOptions#tokenTtl()}, clean session off. Before the token
 *       expires the transport reconnects with a new one. A lost link is reconnected with the project's backoff
 *       ({@link EdgeHubMqttOptions#reconnectBackoff()}) for as long as the transport is open, and the four
 *       subscriptions are made again on every connection.
 *   <li>Inputs: one thread per input name (order kept per input, inputs concurrent); direct methods on a pool of
 *       their own; desired patches on one thread, in order. None runs on Paho's thread, so handlers may call
 *       {@link #send}, {@link #getTwin} and {@link #updateReportedProperties}.
 *   <li>At-least-once: an input is acknowledged (PUBACK, Paho's manual acks) only after
 *       {@link TransportListener#onInputMessage} returned COMPLETE or REJECT (REJECT drops it: over MQTT edgeHub
 *       only gets an acknowledgement). ABANDON is not acknowledged: edgeHub offers the message again when its
 *       acknowledgement timeout passes, or after a reconnection. A handler that returns after the link it came
 *       on was lost is not acknowledged either; the message comes again on the new link (a duplicate).
 *   <li>Sends: QoS 1; {@link #sendAsync} returns a future completed by edgeHub's PUBACK, with at most
 *       {@link EdgeHubMqttOptions#maxInflight()} in flight; beyond that it blocks its caller until one completes.
 *       While the link is down sends fail with a retryable {@link TransportException}.
 * </ul>
 *
 * <p>Ownership: the module host owns the transport; {@link #close()} disconnects, stops every thread the
 * transport made and is idempotent. Thread-safety: all methods may be called from any thread; the listener is
 * not called once {@link #close()} has begun.
 */
public final class EdgeHubMqttTransport implements ModuleTransport {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeHubMqttTransport.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The api-version edgeHub's MQTT head and the SDK 2.5.0 use. */
  static final String API_VERSION = "2020-09-30";
  /** What the username's {@code DeviceClientType} names after {@code edgeai4j/}. */
  static final String VERSION = readVersion();

  private enum State { NEW, OPENING, OPEN, CLOSED }

  private final ConnectionSettings settings;
  private final EdgeHubMqttOptions options;
  private final EdgeHubTopics topics;
  private final SendWindow window;
  private final TwinRequests twinRequests = new TwinRequests();
  private final HubCalls calls;
  private final SerialLanes inputLanes;
  private final ExecutorService methods;
  private final ExecutorService desired;
  private final ScheduledThreadPoolExecutor control;
  private final Object lock = new Object();
  /** Guards {@link #unacked} and {@link #link} together with the acknowledgements sent to Paho. */
  private final Object acks = new Object();
  private final Set<Integer> unacked = new HashSet<>();
  private final AtomicInteger reconnections = new AtomicInteger();
  private final Backoff backoff;
  private volatile MqttAsyncClient client;
  /** Counts links: a handler's acknowledgement is sent only on the link its message came on. */
  private int link;
  private volatile State state = State.NEW;
  private volatile TransportListener listener;
  private ScheduledFuture<?> renewal;
  /** Whether a refusal was reported since the last connection; used on the connection thread only. */
  private boolean refusedReported;

  EdgeHubMqttTransport(ConnectionSettings settings, EdgeHubMqttOptions options) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
    this.topics = new EdgeHubTopics(settings.identity().deviceId(), settings.identity().moduleId());
    this.window = new SendWindow(options.maxInflight());
    this.calls = new HubCalls(settings.identity().toString());
    String who = settings.identity().moduleId();
    this.inputLanes = new SerialLanes("edgehub-" + who + "-input-");
    this.methods = Executors.newCachedThreadPool(threads("edgehub-" + who + "-method-"));
    this.desired = Executors.newSingleThreadExecutor(threads("edgehub-" + who + "-desired-"));
    this.control = new ScheduledThreadPoolExecutor(1, threads("edgehub-" + who + "-connection-"));
    this.control.setRemoveOnCancelPolicy(true);
    this.backoff = options.reconnectBackoff().start();
  }

  @Override
  public ModuleIdentity identity() {
    return settings.identity();
  }

  /** Returns the options this transport was made with. */
  public EdgeHubMqttOptions options() {
    return options;
  }

  /** Returns how many sends are waiting for edgeHub's PUBACK now (at most {@link EdgeHubMqttOptions#maxInflight()}). */
  public int sendsInFlight() {
    return window.inFlight();
  }

  /** Returns how many times the link was connected again after the first connection (losses and token renewals). */
  public int reconnections() {
    return reconnections.get();
  }

  /**
   * Connects and subscribes to inputs, direct methods, desired patches and twin answers. May be called once.
   * While edgeHub cannot be reached the connection is retried with the reconnection backoff for up to
   * {@link EdgeHubMqttOptions#openTimeout()}; refused credentials or an untrusted server certificate end it at once.
   *
   * @throws TransportException If edgeHub refuses the module or cannot be reached in time; the transport is then
   *     closed.
   * @throws IllegalStateException If the transport was opened or closed before.
   */
  @Override
  public void open(TransportListener listener) throws TransportException {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (state == State.CLOSED) {
        throw new IllegalStateException("EdgeHubMqttTransport for " + identity() + " is closed");
      }
      if (state != State.NEW) {
        throw new IllegalStateException("EdgeHubMqttTransport for " + identity() + " was already opened");
      }
      this.listener = listener;
      state = State.OPENING;
    }
    try {
      client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      close();
      throw new TransportException("Cannot make an MQTT client for " + settings.serverUri() + ": " + e, false, e);
    }
    client.setManualAcks(true);
    client.setCallback(new Callback());
    LOG.info("{}: connecting to edgeHub at {} over MQTT (edgehub-mqtt, {})", identity(), settings.serverUri(), options);
    long deadline = System.nanoTime() + options.openTimeout().toNanos();
    while (true) {
      try {
        connectOnce();
        break;
      } catch (TransportException e) {
        Duration wait = backoff.next();
        if (!e.isRetryable() || state == State.CLOSED || System.nanoTime() + wait.toNanos() > deadline) {
          close();
          throw e;
        }
        LOG.warn("{}: cannot connect to edgeHub yet ({}); trying again in {} ms", identity(), e.getMessage(),
            wait.toMillis());
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          close();
          throw new TransportException("Interrupted while connecting " + identity() + " to edgeHub", true, interrupted);
        }
      }
    }
    backoff.reset();
    synchronized (lock) {
      if (state == State.OPENING) {
        state = State.OPEN;
      }
    }
    LOG.info("{}: connected to edgeHub and subscribed to inputs, direct methods, desired properties and twin answers",
        identity());
    report(ConnectionStatus.CONNECTED, ConnectionStatusReason.CONNECTION_OK, null);
  }

  /**
   * Sends a message to an output and waits up to {@link EdgeHubMqttOptions#sendTimeout()} for edgeHub's PUBACK.
   *
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}; nothing is sent.
   * @throws IllegalArgumentException If the output name is empty.
   * @throws TransportException If edgeHub did not acknowledge in time, or the link is down (retryable).
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public void send(String outputName, EdgeMessage message) throws TransportException {
    CompletableFuture<Void> sent = sendAsync(outputName, message);
    try {
      sent.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException failure) {
        throw failure;
      }
      throw new TransportException("Send to output '" + outputName + "' failed: " + e.getCause(), true, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while sending to output '" + outputName + "'", true, e);
    }
  }

  /**
   * Publishes a message to an output at QoS 1 without waiting for edgeHub's PUBACK. At most
   * {@link EdgeHubMqttOptions#maxInflight()} sends are in flight: beyond that this call blocks until one completes.
   * The future completes when edgeHub acknowledged the message, or fails with a {@link TransportException} when the
   * publish failed or no PUBACK came within {@link EdgeHubMqttOptions#sendTimeout()}. It completes on the
   * transport's MQTT thread: chain blocking work with the {@code *Async} stages.
   *
   * @throws MessageTooLargeException If the message is over {@link EdgeMessage#MAX_SIZE_BYTES}; nothing is sent.
   * @throws IllegalArgumentException If the output name is empty.
   * @throws IllegalStateException If the transport is not open.
   */
  public CompletableFuture<Void> sendAsync(String outputName, EdgeMessage message) {
    Objects.requireNonNull(outputName, "outputName");
    Objects.requireNonNull(message, "message");
    requireOpen();
    OutputChecks.requireSendable(outputName, message);
    EdgeMessage wire = EdgeHubWire.asReceivedByEdgeHub(message);
    String topic = topics.eventsTopic(outputName, wire);
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      window.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(new TransportException("Interrupted while waiting for a free send slot ("
          + window.size() + " in flight) for output '" + outputName + "'", true, e));
      return done;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        window.release();
      }
    };
    try {
      client.publish(topic, wire.body(), 1, false, null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          release.run();
          done.complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
          release.run();
          boolean lost = cause instanceof MqttException m
              && m.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST;
          done.completeExceptionally(new TransportException(lost
              ? "The link to edgeHub was lost before it acknowledged the message for output '" + outputName + "' from "
                  + identity() + "; edgeHub may or may not have it: send it again for at-least-once (" + cause + ")"
              : "edgeHub did not accept the message for output '" + outputName + "' from " + identity() + ": " + cause,
              true, cause));
        }
      });
    } catch (MqttException | RuntimeException e) {
      release.run();
      done.completeExceptionally(new TransportException("Cannot send to output '" + outputName + "' from "
          + identity() + " now: " + e + (e instanceof MqttException m && m.getReasonCode()
              == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED ? " (the link to edgeHub is down; reconnecting)" : ""),
          true, e));
      return done;
    }
    // A send Paho neither acknowledges nor fails in time gives its slot back, so the window cannot leak.
    ScheduledFuture<?> timer = schedule(() -> {
      release.run();
      done.completeExceptionally(new TransportException("edgeHub did not acknowledge the message for output '"
          + outputName + "' from " + identity() + " within " + options.sendTimeout() + "; edgeHub may or may not"
          + " have it: send it again for at-least-once", true, null));
    }, options.sendTimeout());
    done.whenComplete((v, e) -> {
      if (timer != null) {
        timer.cancel(false);
      }
    });
    return done;
  }

  /**
   * Reads the whole twin ({@code $iothub/twin/GET/?$rid=}), waiting up to {@link EdgeHubMqttOptions#twinTimeout()}.
   *
   * @throws TransportException If edgeHub did not answer in time or answered with an error status (named).
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public TwinDocument getTwin() throws TransportException {
    TwinRequests.Answer answer = twinRequest("$iothub/twin/GET/", new byte[0], "the twin request");
    JsonNode twin;
    try {
      twin = JSON.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new TransportException("edgeHub answered the twin request of " + identity() + " with a body that is not"
          + " JSON: " + e.getMessage(), true, e);
    }
    if (twin == null || !twin.path("desired").isObject() || !twin.path("reported").isObject()) {
      throw new TransportException("edgeHub answered the twin request of " + identity() + " with " + twin
          + "; expected {\"desired\":{...},\"reported\":{...}}", true, null);
    }
    return new TwinDocument((ObjectNode) twin.get("desired"), (ObjectNode) twin.get("reported"));
  }

  /**
   * Patches the reported properties ({@code $iothub/twin/PATCH/properties/reported/?$rid=}); a null value deletes a
   * key, an empty patch sends nothing.
   *
   * @throws TransportException If edgeHub did not answer in time or refused the patch (its status named).
   * @throws IllegalStateException If the transport is not open.
   */
  @Override
  public void updateReportedProperties(ObjectNode patch) throws TransportException {
    Objects.requireNonNull(patch, "patch");
    requireOpen();
    if (patch.isEmpty()) {
      return;
    }
    twinRequest("$iothub/twin/PATCH/properties/reported/", patch.toString().getBytes(StandardCharsets.UTF_8),
        "the reported-properties patch");
  }

  /** Disconnects, stops the transport's threads and fails waiting twin requests; idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    newLink(); // no acknowledgement is sent for a message whose handler returns after the close
    control.shutdownNow();
    MqttAsyncClient current = client;
    if (current != null) {
      try {
        if (current.isConnected()) {
          current.disconnectForcibly(0, 1000, true);
        }
      } catch (MqttException e) {
        LOG.debug("{}: disconnecting: {}", identity(), e.toString());
      }
      try {
        current.close(true);
      } catch (MqttException e) {
        LOG.debug("{}: closing the MQTT client: {}", identity(), e.toString());
      }
    }
    TransportException closed = new TransportException("EdgeHubMqttTransport for " + identity() + " was closed", false,
        null);
    twinRequests.failAll(closed);
    inputLanes.shutdownNow(1000);
    methods.shutdownNow();
    desired.shutdownNow();
    LOG.info("{}: transport closed", identity());
  }

  @Override
  public String toString() {
    return "EdgeHubMqttTransport{" + identity() + ", " + settings.serverUri() + ", " + state + '}';
  }

  // ---- connection ----

  /** Connects with a new token and subscribes; one attempt. */
  private void connectOnce() throws TransportException {
    Instant expiry = Instant.now().plus(options.tokenTtl());
    String password = settings.tokens().token(expiry);
    MqttConnectOptions connect = new MqttConnectOptions();
    connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    connect.setCleanSession(false);
    connect.setAutomaticReconnect(false);
    connect.setSocketFactory(settings.trust().getSocketFactory());
    connect.setHttpsHostnameVerificationEnabled(true);
    connect.setUserName(username());
    connect.setPassword(password.toCharArray());
    connect.setKeepAliveInterval((int) options.keepAlive().toSeconds());
    connect.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toSeconds()));
    // Twin requests and method answers travel beside the window's sends.
    connect.setMaxInflight(options.maxInflight() + 64);
    long waitMillis = options.connectTimeout().toMillis();
    try {
      client.connect(connect).waitForCompletion(waitMillis);
    } catch (MqttException e) {
      // A connect that timed out is still in progress inside Paho ("Connect already in progress" on the next
      // attempt): abandon it, so that the next attempt starts afresh.
      forceDisconnect();
      throw connectFailure(e);
    }
    try {
      IMqttToken subscribed = client.subscribe(topics.subscriptions(), new int[] {1, 1, 1, 1});
      subscribed.waitForCompletion(waitMillis);
      int[] granted = subscribed.getGrantedQos();
      for (int i = 0; granted != null && i < granted.length; i++) {
        if (granted[i] == 0x80) {
          throw new TransportException("edgeHub refused the subscription to " + topics.subscriptions()[i] + " of "
              + identity(), false, null);
        }
      }
    } catch (MqttException e) {
      forceDisconnect();
      throw new TransportException("edgeHub did not acknowledge the subscriptions of " + identity() + " within "
          + options.connectTimeout() + ": " + e, true, e);
    } catch (TransportException e) {
      forceDisconnect();
      throw e;
    }
    scheduleRenewal();
  }

  private String username() {
    return settings.hubHostName() + "/" + settings.clientId() + "/?api-version=" + API_VERSION
        + "&DeviceClientType=" + EdgeHubTopics.encode("edgeai4j/" + VERSION);
  }

  /** The version of this jar from Maven's pom.properties; {@code dev} when running from classes. */
  private static String readVersion() {
    try (java.io.InputStream in = EdgeHubMqttTransport.class.getResourceAsStream(
        "/META-INF/maven/io.edgeai4j/edgeai4j-azure-transport/pom.properties")) {
      if (in != null) {
        java.util.Properties properties = new java.util.Properties();
        properties.load(in);
        return properties.getProperty("version", "dev");
      }
    } catch (java.io.IOException e) {
      LOG.debug("Cannot read edgeai4j-azure-transport's version: {}", e.toString());
    }
    return "dev";
  }

  private TransportException connectFailure(MqttException e) {
    int code = e.getReasonCode();
    if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED
        || code == MqttException.REASON_CODE_INVALID_CLIENT_ID) {
      return new TransportException("edgeHub at " + settings.serverUri() + " refused " + identity() + " (CONNACK "
          + code + ": " + e.getMessage() + "); check the module's key or the workload API", false, e);
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return new TransportException("TLS with edgeHub at " + settings.serverUri() + " failed: " + cause.getMessage()
            + "; the server certificate must chain to the trusted CA and name " + settings.gatewayHostName(), false, e);
      }
    }
    return new TransportException("Cannot connect " + identity() + " to edgeHub at " + settings.serverUri() + ": "
        + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), true, e);
  }

  private void forceDisconnect() {
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.debug("{}: disconnecting after a failed attempt: {}", identity(), e.toString());
    }
  }

  private void scheduleRenewal() {
    long delayMillis = (long) (options.tokenTtl().toMillis() * options.tokenRenewal());
    synchronized (lock) {
      if (renewal != null) {
        renewal.cancel(false);
      }
      renewal = schedule(this::renewToken, Duration.ofMillis(delayMillis));
    }
  }

  /** Reconnects with a new token before the current one expires (MQTT has no re-authentication). */
  private void renewToken() {
    if (state != State.OPEN) {
      return;
    }
    LOG.info("{}: SAS token expires soon; reconnecting with a new one", identity());
    newLink();
    try {
      client.disconnect(1000).waitForCompletion(2000);
    } catch (MqttException e) {
      forceDisconnect();
    }
    report(ConnectionStatus.DISCONNECTED_RETRYING, ConnectionStatusReason.EXPIRED_SAS_TOKEN, null);
    reconnect();
  }

  /** One reconnection attempt on the connection thread; schedules the next after the backoff when it fails. */
  private void reconnect() {
    if (state != State.OPEN || client.isConnected()) {
      // Closed, or a reconnection asked for twice (a loss during a token renewal) already succeeded.
      return;
    }
    try {
      connectOnce();
    } catch (TransportException e) {
      if (state != State.OPEN) {
        return;
      }
      Duration wait = backoff.next();
      LOG.warn("{}: reconnecting to edgeHub failed (attempt {}): {}; next attempt in {} ms", identity(),
          backoff.failures(), e.getMessage(), wait.toMillis());
      if (!e.isRetryable() && !refusedReported) {
        // Refused credentials or an untrusted certificate may be fixed on edgeHub's side (a key rotated back, a
        // certificate renewed): keep trying, but say why.
        refusedReported = true;
        report(ConnectionStatus.DISCONNECTED_RETRYING, ConnectionStatusReason.BAD_CREDENTIAL, e);
      }
      schedule(this::reconnect, wait);
      return;
    }
    refusedReported = false;
    backoff.reset();
    reconnections.incrementAndGet();
    LOG.info("{}: reconnected to edgeHub and subscribed again", identity());
    report(ConnectionStatus.CONNECTED, ConnectionStatusReason.CONNECTION_OK, null);
  }

  /** A new link begins: acknowledgements of messages from the previous one are not sent. */
  private void newLink() {
    synchronized (acks) {
      link++;
      unacked.clear();
    }
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return control.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Reports a status change to the listener, on the connection thread, in order. */
  private void report(ConnectionStatus status, ConnectionStatusReason reason, Throwable cause) {
    try {
      control.execute(() -> {
        TransportListener current = listener;
        if (state == State.CLOSED || current == null) {
          return;
        }
        try {
          current.onConnectionStatusChanged(new ConnectionStatusChange(status, reason, cause));
        } catch (RuntimeException e) {
          LOG.error("{}: connection status listener threw", identity(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  private void requireOpen() {
    State current = state;
    if (current == State.CLOSED) {
      throw new IllegalStateException("EdgeHubMqttTransport for " + identity() + " is closed");
    }
    if (current != State.OPEN) {
      throw new IllegalStateException("EdgeHubMqttTransport for " + identity() + " is not open; call open() first");
    }
  }

  // ---- twin ----

  private TwinRequests.Answer twinRequest(String topicPrefix, byte[] body, String what) throws TransportException {
    requireOpen();
    String rid = twinRequests.start();
    try {
      client.publish(topicPrefix + "?$rid=" + rid, body, 1, false);
      TwinRequests.Answer result = twinRequests.answer(rid).get(options.twinTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (result.status() < 200 || result.status() > 299) {
        boolean retryable = result.status() >= 500 || result.status() == 429;
        throw new TransportException("edgeHub answered " + what + " of " + identity() + " with status "
            + result.status() + (result.body().length == 0 ? "" : ": " + new String(result.body(), StandardCharsets.UTF_8)),
            retryable, null);
      }
      return result;
    } catch (MqttException e) {
      throw new TransportException("Cannot send " + what + " of " + identity() + " now: " + e, true, e);
    } catch (TimeoutException e) {
      throw new TransportException("edgeHub did not answer " + what + " of " + identity() + " within "
          + options.twinTimeout(), true, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException failure) {
        throw failure;
      }
      throw new TransportException(what + " of " + identity() + " failed: " + e.getCause(), true, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while waiting for " + what + " of " + identity(), true, e);
    } finally {
      twinRequests.forget(rid);
    }
  }

  // ---- what edgeHub sends; Paho's callback thread only hands over ----

  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      newLink();
      if (state != State.OPEN) {
        return;
      }
      LOG.warn("{}: lost the link to edgeHub ({}); reconnecting", identity(), cause == null ? "?" : cause.toString());
      report(ConnectionStatus.DISCONNECTED_RETRYING, ConnectionStatusReason.COMMUNICATION_ERROR, cause);
      try {
        control.execute(EdgeHubMqttTransport.this::reconnect);
      } catch (RejectedExecutionException e) {
        // Closed meanwhile.
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        if (topics.isInput(topic)) {
          onInput(topic, message);
          return;
        }
        if (message.getQos() > 0) {
          client.messageArrivedComplete(message.getId(), message.getQos());
        }
        if (topic.startsWith(EdgeHubTopics.TWIN_RESPONSE)) {
          onTwinAnswer(topic, message.getPayload());
        } else if (topic.startsWith(EdgeHubTopics.METHODS_POST)) {
          methods.execute(() -> onMethod(topic, message.getPayload()));
        } else if (topic.startsWith(EdgeHubTopics.DESIRED_PATCH)) {
          desired.execute(() -> onDesired(topic, message.getPayload()));
        } else {
          LOG.warn("{}: ignored a message on unexpected topic {}", identity(), topic);
        }
      } catch (MqttException e) {
        LOG.warn("{}: could not acknowledge a message on {}: {}", identity(), topic, e.toString());
      } catch (RejectedExecutionException e) {
        LOG.debug("{}: message on {} arrived while closing; not delivered", identity(), topic);
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Sends complete through their action listeners.
    }
  }

  private void onInput(String topic, MqttMessage message) {
    int id = message.getId();
    int qos = message.getQos();
    int messageLink;
    synchronized (acks) {
      if (qos > 0 && !unacked.add(id)) {
        // edgeHub (or a broker) sent it again while its handler still runs: that handler acknowledges it.
        LOG.debug("{}: redelivery of message {} on {} while it is being handled; ignored", identity(), id, topic);
        return;
      }
      messageLink = link;
    }
    EdgeHubTopics.Input input;
    try {
      input = topics.parseInput(topic, message.getPayload());
    } catch (IllegalArgumentException e) {
      LOG.error("{}: dropped a message edgeHub delivered: {}", identity(), e.getMessage());
      acknowledge(id, qos, messageLink);
      return;
    }
    inputLanes.submit(input.inputName(), () -> handleInput(input, id, qos, messageLink));
  }

  private void handleInput(EdgeHubTopics.Input input, int id, int qos, int messageLink) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      return;
    }
    MessageDisposition disposition;
    try {
      disposition = current.onInputMessage(input.inputName(), input.message());
      if (disposition == null) {
        LOG.error("{}: input '{}' handler returned no disposition; message rejected", identity(), input.inputName());
        disposition = MessageDisposition.REJECT;
      }
    } catch (RuntimeException e) {
      LOG.error("{}: input '{}' handler threw; message rejected", identity(), input.inputName(), e);
      disposition = MessageDisposition.REJECT;
    }
    if (disposition == MessageDisposition.ABANDON) {
      synchronized (acks) {
        if (link == messageLink) {
          unacked.remove(id);
        }
      }
      LOG.debug("{}: message {} on input '{}' abandoned: not acknowledged, so edgeHub offers it again",
          identity(), input.message().messageId().orElse("?"), input.inputName());
      return;
    }
    acknowledge(id, qos, messageLink);
  }

  /** Sends the PUBACK of an input, only on the link it came on. */
  private void acknowledge(int id, int qos, int messageLink) {
    if (qos == 0) {
      return;
    }
    synchronized (acks) {
      if (link != messageLink || state == State.CLOSED) {
        LOG.debug("{}: message {} was handled after its link was lost; edgeHub delivers it again", identity(), id);
        return;
      }
      try {
        client.messageArrivedComplete(id, qos);
      } catch (MqttException | RuntimeException e) {
        LOG.warn("{}: could not acknowledge message {} ({}); edgeHub delivers it again", identity(), id, e.toString());
      }
      unacked.remove(id);
    }
  }

  private void onTwinAnswer(String topic, byte[] payload) {
    if (!twinRequests.complete(topic, payload)) {
      LOG.debug("{}: twin answer on {} has no status or no waiting request", identity(), topic);
    }
  }

  private void onMethod(String topic, byte[] payload) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      return;
    }
    HubCalls.Reply reply = calls.invokeMethod(current, topic, payload);
    if (reply == null) {
      return;
    }
    try {
      client.publish(reply.topic(), reply.body(), 1, false);
    } catch (MqttException e) {
      LOG.warn("{}: could not answer the direct method on {}: {}", identity(), topic, e.toString());
    }
  }

  private void onDesired(String topic, byte[] payload) {
    TransportListener current = listener;
    if (state == State.CLOSED || current == null) {
      return;
    }
    ObjectNode patch = calls.desiredPatch(topic, payload);
    if (patch == null) {
      return;
    }
    try {
      current.onDesiredPropertiesPatch(patch);
    } catch (RuntimeException e) {
      LOG.error("{}: desired-properties listener threw on patch {}", identity(), patch, e);
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
