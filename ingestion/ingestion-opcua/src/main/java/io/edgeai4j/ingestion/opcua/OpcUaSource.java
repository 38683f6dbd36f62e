package io.edgeai4j.ingestion.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.retry.Backoff;
import io.edgeai4j.retry.BackoffPolicy;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the configured OPC UA nodes and emits a reading per data change, or a sample block
 * when the value is a numeric array.
 *
 * <p>{@link #start()} returns at once; one daemon thread of the source's own ({@code opcua-source-<name>})
 * connects: it asks the server for its endpoints, picks the one with the configured security policy
 * and mode, opens a session, creates one subscription with a monitored item per node and reports
 * {@link SourceState#CONNECTED}. Until the first session is up it retries with exponential backoff
 * (1 s doubling to {@code reconnectMaxDelay}, with jitter: {@link #reconnectPolicy}) and reports
 * {@link SourceState#DISCONNECTED} with the reason. After that, Milo's client keeps the session: it
 * reconnects on its own and transfers the subscription; when the transfer fails (a restarted server knows
 * no subscriptions) this source re-creates the subscription and its items. Nodes the server refuses
 * (e.g. {@code Bad_NodeIdUnknown}) are named in the CONNECTED state's detail and retried every
 * {@code reconnectMaxDelay}; the other nodes run on. A username and password over security policy None
 * (allowed only by {@code allowCredentialsWithoutEncryption}) are logged and reported as a warning in the
 * STARTING and CONNECTED details.
 *
 * <p>The source owns its thread and its Milo client; {@link #close()} closes the session, disconnects
 * and stops the thread. Milo's I/O and callback threads are Milo's process-wide shared daemon pools
 * ({@code Stack.sharedEventLoop()} and friends), which this source neither creates nor releases.
 * Readings are emitted on Milo's delivery thread, in order per subscription. Thread-safe.
 */
public final class OpcUaSource implements SensorSource {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);
  private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * One publish request at a time, so that no publish response can overtake another. With Milo's default (one
   * more than the subscriptions) two are under way, and Milo's client passes on a response that arrives after the
   * next one: its values after newer ones, and a second time when Milo had meanwhile fetched the missing message
   * with Republish. The server keeps what changes meanwhile in the monitored items' queues.
   */
  static final int MAX_PENDING_PUBLISH_REQUESTS = 1;

  private final OpcUaSettings settings;
  private final SourceContext rawContext;
  private final GuardedContext context;
  private final Object lifecycle = new Object();
  private volatile boolean closed;
  private ScheduledExecutorService loop;

  // Confined to the loop thread.
  private ServerTrust trust;
  private ClientIdentity identity;
  private final Backoff backoff;
  private OpcUaSubscription subscription;
  private final Map<OpcUaMonitoredItem, String> sensorsByItem = new LinkedHashMap<>();
  private ScheduledFuture<?> pendingRetry;

  /** The client of the current or last attempt; read by close. */
  private volatile OpcUaClient client;

  OpcUaSource(OpcUaSettings settings, SourceContext context) {
    this.settings = settings;
    this.rawContext = context;
    this.context = new GuardedContext(context);
    this.backoff = reconnectPolicy(settings).start();
  }

  /**
   * The backoff between connection attempts: 1 s doubling up to {@code reconnectMaxDelay}, with the project's
   * default jitter (each wait between half and all of that).
   */
  static BackoffPolicy reconnectPolicy(OpcUaSettings settings) {
    return BackoffPolicy.exponential(FIRST_RETRY_DELAY, settings.reconnectMaxDelay());
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("OPC UA source " + rawContext.sourceName() + " is closed");
      }
      if (loop != null) {
        throw new IllegalStateException("OPC UA source " + rawContext.sourceName() + " is already started");
      }
      String threadName = "opcua-source-" + rawContext.sourceName();
      loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, threadName);
        thread.setDaemon(true);
        return thread;
      });
      String warning = credentialsWarning();
      if (warning != null) {
        LOG.warn("OPC UA source {}: {}", rawContext.sourceName(), warning);
      }
      context.report(SourceState.STARTING, "connecting to " + settings.endpoint() + (warning == null ? ""
          : "; " + warning));
      onLoop(this::connect);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService started;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      started = loop;
    }
    if (started != null) {
      started.shutdownNow();
      try {
        if (!started.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("OPC UA source {}: its thread did not stop within {}", rawContext.sourceName(), CLOSE_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    disconnect(client);
    client = null;
    context.report(SourceState.STOPPED, null);
    context.shut();
  }

  /** One connection attempt, on the loop; schedules the next one when it fails. */
  private void connect() {
    if (closed) {
      return;
    }
    OpcUaClient candidate = null;
    try {
      prepareSecurity();
      EndpointDescription endpoint = selectEndpoint(discoverEndpoints());
      trust.pinOnFirstUse(endpoint);
      checkServerCertificate(endpoint);
      candidate = new OpcUaClient(clientConfig(endpoint).build(), new OpcTcpClientTransport(transportConfig().build()));
      client = candidate;
      await(candidate.connectAsync(), settings.requestTimeout().multipliedBy(2));
      subscription = subscribe(candidate);
      candidate.addSessionActivityListener(new SessionWatcher());
      backoff.reset();
      reportConnected(synchronizeItems());
    } catch (InterruptedException e) {
      disconnect(candidate);
    } catch (Exception e) {
      disconnect(candidate);
      client = null;
      subscription = null;
      if (closed) {
        return;
      }
      String rejection = trust == null ? null : trust.takeLastRejection();
      String reason = rejection != null ? rejection
          : e instanceof UnusableClientIdentity ? e.getMessage() : StatusNames.describe(e) + clientTrustHint(e);
      Duration delay = backoff.next();
      LOG.debug("OPC UA source {}: connecting to {} failed", rawContext.sourceName(), settings.endpoint(), e);
      context.report(SourceState.DISCONNECTED, "cannot connect to " + settings.endpoint() + ": " + reason
          + "; retrying in " + delay.toMillis() + " ms");
      schedule(this::connect, delay);
    }
  }

  private void prepareSecurity() throws Exception {
    if (trust == null) {
      trust = new ServerTrust(rawContext.stateDirectory(), settings.trustedServerCertificates(),
          settings.trustServerCertificateOnFirstUse());
    }
    if (identity == null && settings.securityPolicy() != SecurityPolicyName.NONE) {
      if (settings.securityPolicy() == SecurityPolicyName.AES256_SHA256_RSAPSS) {
        registerBouncyCastle();
      }
      if (settings.hasConfiguredClientCertificate()) {
        try {
          identity = ClientIdentity.loadConfigured(settings, rawContext.stateDirectory());
        } catch (GeneralSecurityException e) {
          LOG.debug("OPC UA source {}: the configured client certificate is unusable", rawContext.sourceName(), e);
          throw new UnusableClientIdentity("client certificate: " + e.getMessage());
        }
      } else {
        identity = ClientIdentity.loadOrCreate(rawContext.stateDirectory(), rawContext.sourceName());
      }
      LOG.info("OPC UA source {}: client certificate {} (SHA-1 {}); the server must trust it",
          rawContext.sourceName(), identity.certificateFile(), identity.thumbprint());
    }
  }

  /**
   * Validates the server's certificate before connecting: Milo would validate it only after the
   * server accepted the client's, and a server that refuses the client says no more than
   * Bad_SecurityChecksFailed, which would hide which side refused.
   */
  private void checkServerCertificate(EndpointDescription endpoint) throws UaException {
    if (settings.securityPolicy() == SecurityPolicyName.NONE) {
      return;
    }
    List<java.security.cert.X509Certificate> chain =
        CertificateUtil.decodeCertificates(endpoint.getServerCertificate().bytesOrEmpty());
    trust.validateCertificateChain(chain, endpoint.getServer().getApplicationUri(),
        new String[] {settings.endpoint().getHost()});
  }

  /** After the server refused a secure channel: what the user likely has to do. */
  private String clientTrustHint(Exception error) {
    long status = UaException.extractStatusCode(error).map(StatusCode::getValue).orElse(0L) & 0xFFFF0000L;
    if (identity == null || (status != StatusCodes.Bad_SecurityChecksFailed && status != StatusCodes.Bad_CertificateUntrusted)) {
      return "";
    }
    return " (the server may not trust this client yet: have it trust " + identity.certificateFile() + ", SHA-1 "
        + identity.thumbprint() + ")";
  }

  private List<EndpointDescription> discoverEndpoints() throws Exception {
    return await(DiscoveryClient.getEndpoints(settings.endpoint().toString(), this::configureTransport),
        settings.requestTimeout().multipliedBy(2));
  }

  private EndpointDescription selectEndpoint(List<EndpointDescription> endpoints) throws UaException {
    String policyUri = settings.securityPolicy().milo().getUri();
    for (EndpointDescription endpoint : endpoints) {
      if (policyUri.equals(endpoint.getSecurityPolicyUri()) && endpoint.getSecurityMode() == settings.securityMode().milo()
          && endpoint.getEndpointUrl() != null && endpoint.getEndpointUrl().startsWith("opc.tcp:")) {
        // Connect where the settings say, whatever host name the server advertises.
        return EndpointUtil.updateUrl(endpoint, settings.endpoint().getHost(), settings.port());
      }
    }
    List<String> offered = new ArrayList<>();
    for (EndpointDescription endpoint : endpoints) {
      String policy = endpoint.getSecurityPolicyUri();
      offered.add(policy.substring(policy.lastIndexOf('#') + 1) + "/" + endpoint.getSecurityMode());
    }
    throw new UaException(StatusCodes.Bad_SecurityPolicyRejected, "the server offers no endpoint with "
        + settings.securityPolicy().text() + "/" + settings.securityMode().text() + "; it offers " + offered);
  }

  private OpcUaClientConfigBuilder clientConfig(EndpointDescription endpoint) {
    OpcUaClientConfigBuilder builder = new OpcUaClientConfigBuilder()
        .setEndpoint(endpoint)
        .setApplicationName(LocalizedText.english("edgeai4j OPC UA source " + rawContext.sourceName()))
        .setApplicationUri(identity != null ? identity.applicationUri()
            : "urn:edgeai4j:ingestion:opcua:" + rawContext.sourceName())
        .setProductUri("urn:edgeai4j:ingestion:opcua")
        .setCertificateValidator(trust)
        .setIdentityProvider(settings.username() == null ? new AnonymousProvider()
            : new UsernameProvider(settings.username(), settings.password()))
        .setRequestTimeout(uint(settings.requestTimeout().toMillis()))
        .setKeepAliveInterval(uint(settings.keepAliveInterval().toMillis()))
        .setKeepAliveTimeout(uint(settings.requestTimeout().toMillis()))
        .setMaxPendingPublishRequests(uint(MAX_PENDING_PUBLISH_REQUESTS));
    if (identity != null) {
      builder.setKeyPair(identity.keyPair())
          .setCertificate(identity.certificate())
          .setCertificateChain(new java.security.cert.X509Certificate[] {identity.certificate()});
    }
    return builder;
  }

  private OpcTcpClientTransportConfigBuilder transportConfig() {
    OpcTcpClientTransportConfigBuilder builder = OpcTcpClientTransportConfig.newBuilder();
    configureTransport(builder);
    return builder;
  }

  private void configureTransport(OpcTcpClientTransportConfigBuilder builder) {
    builder.setConnectTimeout(uint(settings.requestTimeout().toMillis()));
  }

  /** Creates the subscription on the server with one monitored item per node (not yet created). */
  private OpcUaSubscription subscribe(OpcUaClient opcUaClient) throws UaException {
    OpcUaSubscription created = new OpcUaSubscription(opcUaClient, (double) settings.publishingInterval().toMillis());
    created.setSubscriptionListener(new SubscriptionWatcher());
    sensorsByItem.clear();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    settings.nodes().forEach((sensor, node) -> {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node.nodeId());
      item.setSamplingInterval((double) node.samplingInterval().toMillis());
      item.setQueueSize(uint(node.effectiveQueueSize(settings.publishingInterval())));
      item.setDiscardOldest(true);
      String nodeIdText = node.nodeId().toParseableString();
      item.setDataValueListener((monitoredItem, value) -> {
        if (!closed) {
          DataValueConversion.Converted converted = DataValueConversion.convert(sensor, nodeIdText, node.unit(),
              value, rawContext.clock(), () -> rawContext.sampleRateHz(sensor));
          if (converted.block() != null) {
            context.emit(converted.block());
          } else {
            context.emit(converted.reading());
          }
        }
      });
      sensorsByItem.put(item, sensor);
      items.add(item);
    });
    created.addMonitoredItems(items);
    created.create();
    return created;
  }

  /**
   * Creates the items not yet on the server.
   *
   * @return One line per node the server refused, e.g. {@code nodes.x: Bad_NodeIdUnknown (ns=2;s=X)}.
   * @throws UaException If the request as a whole failed.
   */
  private List<String> synchronizeItems() throws UaException {
    try {
      subscription.synchronizeMonitoredItems();
    } catch (MonitoredItemSynchronizationException e) {
      for (MonitoredItemServiceOperationResult result : e.getCreateResults()) {
        if (result.serviceResult() != null && result.serviceResult().isBad()) {
          throw new UaException(result.serviceResult(), "creating the monitored items failed");
        }
      }
    }
    List<String> errors = new ArrayList<>();
    sensorsByItem.forEach((item, sensor) -> {
      StatusCode result = item.getCreateResult().orElse(null);
      if (result != null && result.isBad()) {
        errors.add("nodes." + sensor + ": " + StatusNames.name(result) + " ("
            + item.getReadValueId().getNodeId().toParseableString() + ")");
      }
    });
    return errors;
  }

  /** After Milo re-activated the session or failed to transfer the subscription: makes sure it exists. */
  private void resubscribe() {
    OpcUaClient current = client;
    if (closed || current == null || subscription == null) {
      return;
    }
    try {
      if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
        LOG.info("OPC UA source {}: re-creating the subscription on {}", rawContext.sourceName(), settings.endpoint());
        subscription.create();
      }
      reportConnected(synchronizeItems());
    } catch (UaException e) {
      if (closed) {
        return;
      }
      Duration delay = backoff.next();
      context.report(SourceState.DISCONNECTED, "re-creating the subscription on " + settings.endpoint() + " failed: "
          + StatusNames.describe(e) + "; retrying in " + delay.toMillis() + " ms");
      schedule(this::resubscribe, delay);
    }
  }

  private void reportConnected(List<String> nodeErrors) {
    backoff.reset();
    if (pendingRetry != null) {
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
    List<String> details = new ArrayList<>(nodeErrors);
    String warning = credentialsWarning();
    if (warning != null) {
      details.add(warning);
    }
    context.report(SourceState.CONNECTED, details.isEmpty() ? null : String.join("; ", details));
    if (!nodeErrors.isEmpty()) {
      pendingRetry = schedule(this::resubscribe, settings.reconnectMaxDelay());
    }
  }

  /**
   * The warning for a password sent without a secure channel (allowed only by
   * {@code allowCredentialsWithoutEncryption}), reported with every STARTING and CONNECTED state; null otherwise.
   */
  private String credentialsWarning() {
    if (settings.username() == null || settings.securityPolicy() != SecurityPolicyName.NONE) {
      return null;
    }
    return "warning: the password of user \"" + settings.username() + "\" is sent without a secure channel"
        + " (securityPolicy None, allowCredentialsWithoutEncryption true)";
  }

  /**
   * Milo signs Aes256_Sha256_RsaPss messages with {@code SHA256withRSA/PSS}, an algorithm name only the
   * BouncyCastle provider knows; registers it once for the process, after the JDK's providers (so it changes
   * no other algorithm's provider).
   */
  static void registerBouncyCastle() {
    synchronized (Security.class) {
      if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
        Security.addProvider(new BouncyCastleProvider());
        LOG.info("Registered the BouncyCastle security provider (for Aes256_Sha256_RsaPss)");
      }
    }
  }

  /** The configured client certificate or key cannot be used; the message names the setting and the file. */
  private static final class UnusableClientIdentity extends Exception {
    UnusableClientIdentity(String message) {
      super(message, null, false, false);
    }
  }

  private void onLoop(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    if (closed) {
      return null;
    }
    try {
      return loop.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("OPC UA source {}: unexpected error", rawContext.sourceName(), e);
          context.report(SourceState.DISCONNECTED, "unexpected error: " + StatusNames.describe(e));
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null; // closed meanwhile
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TimeoutException("no answer within " + timeout.toMillis() + " ms");
    }
  }

  private void disconnect(OpcUaClient opcUaClient) {
    if (opcUaClient == null) {
      return;
    }
    try {
      opcUaClient.disconnectAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("OPC UA source {}: disconnecting failed", rawContext.sourceName(), e);
    }
  }

  /** Reports session loss and has the subscription checked when Milo has the session back. */
  private final class SessionWatcher implements SessionActivityListener {
    @Override
    public void onSessionActive(UaSession session) {
      onLoop(OpcUaSource.this::resubscribe);
    }

    @Override
    public void onSessionInactive(UaSession session) {
      if (!closed) {
        context.report(SourceState.DISCONNECTED, "session with " + settings.endpoint()
            + " lost; Milo's client is reconnecting");
      }
    }
  }

  /** Re-creates the subscription when Milo could not transfer it to a new session. */
  private final class SubscriptionWatcher implements OpcUaSubscription.SubscriptionListener {
    @Override
    public void onTransferFailed(OpcUaSubscription failed, StatusCode status) {
      LOG.info("OPC UA source {}: subscription transfer failed ({}); re-creating it", rawContext.sourceName(),
          StatusNames.name(status));
      onLoop(OpcUaSource.this::resubscribe);
    }

    @Override
    public void onStatusChanged(OpcUaSubscription changed, StatusCode status) {
      LOG.info("OPC UA source {}: subscription status {}", rawContext.sourceName(), StatusNames.name(status));
    }
  }
}
