package io.edgeai4j.ingestion.mqtt;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * An MQTT source: one Paho {@link MqttAsyncClient} that subscribes to the settings' topic filters and
 * maps each JSON message to readings with {@link PayloadMapper}.
 *
 * <p>Threads: connection attempts, retries with backoff and state reports run on one thread that the
 * source owns; messages are mapped and emitted on Paho's callback thread. A QoS 1 message is
 * acknowledged to the broker only after its readings were emitted. The source owns the client and its
 * thread; {@link #close()} disconnects (so that a persistent session keeps its subscriptions), closes
 * the client, ends the thread, and is idempotent. Thread-safe.
 *
 * <p>{@link #close()} lets a connection attempt in progress end (it is bounded by
 * {@code connectTimeoutMillis}) before it disconnects: Paho 1.2.5 leaves its connect thread spinning
 * forever when the connection is torn down while that thread starts its workers
 * (eclipse-paho/paho.mqtt.java#953, unfixed).
 */
final class MqttSource implements SensorSource {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);
  private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  private static final long DISCONNECT_QUIESCE_MILLIS = 1_000;
  private static final int SUBSCRIBE_FAILED = 0x80;

  private final MqttSourceSettings settings;
  private final SourceContext context;
  private final String clientId;
  private final PayloadMapper mapper;
  private final String brokerUri;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Held (shared) while reporting or emitting; {@link #close()} takes it exclusively to wait them out. */
  private final ReadWriteLock contextGuard = new ReentrantReadWriteLock();
  private final ScheduledThreadPoolExecutor connector;

  // Touched only on the connector thread.
  private final Backoff backoff;
  private ScheduledFuture<?> pendingAttempt;
  private String lastReport;

  private volatile MqttAsyncClient client;

  MqttSource(MqttSourceSettings settings, SourceContext context, String clientId) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.context = Objects.requireNonNull(context, "context");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.mapper = new PayloadMapper(settings, context::sampleRateHz);
    this.brokerUri = settings.brokerUri().toString();
    this.backoff = reconnectPolicy(settings).start();
    this.connector = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "mqtt-source-" + context.sourceName());
      thread.setDaemon(true);
      return thread;
    });
    connector.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * The client id used when the settings give none: {@code edgeai4j-<device>-<module>-<source>} with the
   * device and module ids IoT Edge puts in every module's environment ({@code IOTEDGE_DEVICEID},
   * {@code IOTEDGE_MODULEID}), or {@code edgeai4j-<source>} outside IoT Edge. Stable across restarts, so
   * that a persistent session is found again, and distinct between devices that run the same deployment.
   */
  static String defaultClientId(String sourceName, Map<String, String> environment) {
    StringJoiner id = new StringJoiner("-", "edgeai4j-", "");
    for (String variable : new String[] {"IOTEDGE_DEVICEID", "IOTEDGE_MODULEID"}) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        id.add(value);
      }
    }
    return id.add(sourceName).toString();
  }

  /** The MQTT client id this source connects with. */
  String clientId() {
    return clientId;
  }

  /**
   * Creates the client and starts connecting in the background.
   *
   * @throws MqttException If Paho rejects the broker URI or client id; nothing is left running then.
   */
  @Override
  public void start() throws MqttException {
    if (closed.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("MQTT source " + context.sourceName() + " was already started or closed");
    }
    try {
      MqttAsyncClient created = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
      created.setCallback(new Callback());
      client = created;
      connector.execute(this::attempt);
    } catch (MqttException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private MqttConnectOptions connectOptions() throws TlsFiles.UnusableFileException {
    MqttConnectOptions options = new MqttConnectOptions();
    if (settings.tls()) {
      options.setSocketFactory(TlsFiles.socketFactory(settings));
      options.setHttpsHostnameVerificationEnabled(settings.verifyHostname());
    }
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(settings.cleanSession());
    options.setKeepAliveInterval(settings.keepAliveSeconds());
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    options.setAutomaticReconnect(false);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().toCharArray());
    }
    return options;
  }

  /** One connection attempt and, once connected, the subscriptions. Connector thread only. */
  private void attempt() {
    pendingAttempt = null;
    MqttAsyncClient current = client;
    if (closed.get() || current == null || current.isConnected()) {
      return;
    }
    try {
      IMqttToken connect = current.connect(connectOptions());
      // Paho bounds the TCP and TLS connection by the timeout, but not the wait for CONNACK.
      connect.waitForCompletion(2 * settings.connectTimeoutMillis());
      boolean sessionPresent = connect.getSessionPresent();
      if (closed.get()) {
        return;
      }
      subscribe(current);
      backoff.reset();
      report(SourceState.CONNECTED, "connected to " + brokerUri + " as " + clientId + (sessionPresent
          ? ", session resumed" : ", new session") + "; subscribed to " + String.join(", ", topicFilters())
          + " at QoS " + settings.qos());
    } catch (TlsFiles.UnusableFileException e) {
      if (!closed.get()) {
        report(SourceState.DISCONNECTED, "cannot connect to " + brokerUri + " as " + clientId + ": " + e.getMessage());
        retryLater();
      }
    } catch (MqttException e) {
      if (closed.get()) {
        return;
      }
      report(SourceState.DISCONNECTED, "cannot connect to " + brokerUri + " as " + clientId + ": " + describe(e));
      if (current.isConnected() || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
        // Connected without the subscriptions, or still waiting for CONNACK: end it, so that the next attempt
        // starts afresh. Paho has long finished starting its workers by now.
        disconnectQuietly(current);
      }
      retryLater();
    }
  }

  /**
   * Subscribes to every filter, again after each reconnect: a broker that restarted without its store
   * has forgotten even a persistent session.
   */
  private void subscribe(MqttAsyncClient current) throws MqttException {
    String[] filters = topicFilters();
    int[] qos = new int[filters.length];
    Arrays.fill(qos, settings.qos());
    IMqttToken token = current.subscribe(filters, qos);
    token.waitForCompletion(settings.connectTimeoutMillis());
    int[] granted = token.getGrantedQos();
    for (int i = 0; i < granted.length && i < filters.length; i++) {
      if (granted[i] == SUBSCRIBE_FAILED) {
        throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED,
            new IllegalStateException("the broker refused the subscription to " + filters[i]));
      }
    }
  }

  private String[] topicFilters() {
    return settings.subscriptions().values().stream().map(MqttSubscription::topic).distinct().toArray(String[]::new);
  }

  /** Schedules the next attempt after the backoff's next delay. Connector thread only. */
  private void retryLater() {
    if (closed.get() || pendingAttempt != null) {
      return;
    }
    Duration delay = backoff.next();
    try {
      pendingAttempt = connector.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /**
   * The backoff between connection attempts: 1 s (or {@code maxReconnectDelayMillis} if less) doubling up to
   * {@code maxReconnectDelayMillis}, with the project's default jitter (each wait between half and all of that).
   */
  static BackoffPolicy reconnectPolicy(MqttSourceSettings settings) {
    Duration max = settings.maxReconnectDelay();
    return BackoffPolicy.exponential(FIRST_RETRY_DELAY.compareTo(max) > 0 ? max : FIRST_RETRY_DELAY, max);
  }

  private static void disconnectQuietly(MqttAsyncClient current) {
    try {
      current.disconnectForcibly(0, DISCONNECT_QUIESCE_MILLIS, false);
    } catch (MqttException e) {
      LOG.debug("Disconnecting after a failed attempt: {}", e.toString());
    }
  }

  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    Throwable cause = error instanceof MqttException && error.getCause() != null ? error.getCause() : null;
    text.append(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    if (cause != null) {
      text.append(" (").append(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.toString())
          .append(')');
    }
    if (error instanceof MqttException mqtt) {
      text.append(" [Paho reason code ").append(mqtt.getReasonCode()).append(']');
    }
    return text.toString();
  }

  /** Reports a state unless it repeats the last report word for word. Connector thread only. */
  private void report(SourceState state, String detail) {
    String text = state + ": " + detail;
    if (text.equals(lastReport)) {
      return;
    }
    lastReport = text;
    if (state == SourceState.CONNECTED) {
      LOG.info("MQTT source {}: {}", context.sourceName(), detail);
    } else {
      LOG.warn("MQTT source {}: {}", context.sourceName(), detail);
    }
    contextGuard.readLock().lock();
    try {
      if (!closed.get()) {
        context.reportState(state, detail);
      }
    } finally {
      contextGuard.readLock().unlock();
    }
  }

  private void onConnectionLost(Throwable cause) {
    if (closed.get()) {
      return;
    }
    report(SourceState.DISCONNECTED, "lost the connection to " + brokerUri + ": " + describe(cause));
    retryLater();
  }

  /**
   * Emits the readings of one message. Throws when the source is closing, so that Paho does not
   * acknowledge a QoS 1 message whose readings were not passed on: the broker delivers it again to the
   * next session.
   */
  private void onMessage(String topic, MqttMessage message) {
    contextGuard.readLock().lock();
    try {
      if (closed.get()) {
        throw new IllegalStateException("MQTT source " + context.sourceName() + " is closing; message on " + topic
            + " left unacknowledged");
      }
      PayloadMapper.Mapped mapped = mapper.map(topic, message.getPayload(), context.clock().instant(),
          message.isRetained());
      for (Reading reading : mapped.readings()) {
        context.emit(reading);
      }
      for (SampleBlock block : mapped.blocks()) {
        context.emit(block);
      }
    } finally {
      contextGuard.readLock().unlock();
    }
  }

  /**
   * Disconnects, closes the client and ends the source's thread. Waits for a connection attempt in
   * progress to end first (see the class comment). Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Wait out a report or an emit in progress; none starts from now on.
    contextGuard.writeLock().lock();
    contextGuard.writeLock().unlock();
    connector.shutdown();
    long attemptBound = 3 * settings.connectTimeoutMillis() + CLOSE_WAIT_MILLIS;
    awaitConnector(attemptBound);
    MqttAsyncClient current = client;
    client = null;
    if (current != null) {
      try {
        if (current.isConnected()) {
          current.disconnect(DISCONNECT_QUIESCE_MILLIS).waitForCompletion(CLOSE_WAIT_MILLIS);
        }
      } catch (MqttException e) {
        LOG.debug("MQTT source {}: disconnect failed, closing anyway: {}", context.sourceName(), e.toString());
      }
      try {
        current.disconnectForcibly(0, DISCONNECT_QUIESCE_MILLIS, false);
      } catch (MqttException e) {
        // Already disconnected: the usual case.
      }
      try {
        current.close(true);
      } catch (MqttException e) {
        LOG.warn("MQTT source {}: closing the Paho client failed: {}", context.sourceName(), describe(e));
      }
    }
  }

  private void awaitConnector(long millis) {
    try {
      if (!connector.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        LOG.warn("MQTT source {}: the connection attempt did not end in {} ms; closing anyway", context.sourceName(),
            millis);
        connector.shutdownNow();
      }
    } catch (InterruptedException e) {
      connector.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Paho's callbacks, on Paho's threads. */
  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      try {
        connector.execute(() -> onConnectionLost(cause));
      } catch (RejectedExecutionException e) {
        // Closing.
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      onMessage(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // The source publishes nothing.
    }
  }

  @Override
  public String toString() {
    return "MqttSource[" + context.sourceName() + ", " + brokerUri + ", " + clientId + "]";
  }
}
