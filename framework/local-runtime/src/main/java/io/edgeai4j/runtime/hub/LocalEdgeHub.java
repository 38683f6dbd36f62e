package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.ConnectionStatusReason;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MessageTooLargeException;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.SystemProperties;
import io.edgeai4j.module.spi.EdgeHubWire;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import io.edgeai4j.module.spi.TwinDocument;
import io.edgeai4j.routing.MessageSource;
import io.edgeai4j.routing.ModuleInputSink;
import io.edgeai4j.routing.RouteMatch;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.routing.RouteTable;
import io.edgeai4j.routing.RoutingMessage;
import io.edgeai4j.routing.Sink;
import io.edgeai4j.routing.UpstreamSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process edgeHub. Module output is routed with the edgeHub route engine into one queue per
 * endpoint and priority; each endpoint has one delivery thread that serves its highest priority first
 * and skips expired messages. Twins are served from the manifest's desired properties, and direct
 * methods are passed to connected modules.
 *
 * <p>Limits: a message over {@link EdgeMessage#MAX_SIZE_BYTES} is refused; when the queues together
 * hold {@link HubOptions#maxStoreBytes()} bytes, new messages are refused with a retryable
 * {@link TransportException} (edgeHub's {@code StorageFullException}); both are counted in
 * {@code edgeai4j_hub_messages_refused_total}. Messages that match no route are dropped, as edgeHub
 * drops them, and counted in {@code edgeai4j_hub_messages_unrouted_total}.
 *
 * <p><b>Store.</b> Without {@link HubOptions#storeDirectory()} the queues live in memory and what is queued at
 * {@link #close()} is lost. With one, every routed copy of a message is also written to disk before
 * {@code send} (module output), {@link #publishFromChildDevice} or a reported-properties update (its twin change
 * notification) returns, so a return means "stored", as edgeHub's acknowledgement does; a new hub opened on the
 * same directory delivers what was stored and not finished, with its priority, its expiry (from the original
 * enqueue time: a message that expired while no hub ran is expired at open and counted), its message id and its
 * system and application properties. A message leaves the disk when it is delivered (the module completes it, or the
 * {@code $upstream} target takes it), rejected, or expired; an abandoned one stays. Layout, in the directory: one
 * sub-directory per endpoint and priority, named as edgeHub names its stores, {@code <endpoint>_Pri<n>} with the
 * endpoint id URL-encoded ({@code filter%2Finput1_Pri0}, {@code %24upstream_Pri2000000000}), each a
 * {@link io.edgeai4j.buffer.DiskBuffer} of versioned binary records ({@link StoredMessageCodec}); a
 * {@code store-format} file; a {@code store.lock} held while a hub has it open. The queues stay in memory as
 * without a store; the disk copy is what a restart reads back. Guarantees: at least once. A crash of the process
 * loses no stored message (every write reaches the operating system before the call returns); a power loss may
 * lose what {@link HubOptions#storeFsync()} has not forced. A message being delivered when the hub stops, or whose
 * removal failed, is delivered again after the restart. {@link HubOptions#maxStoreBytes()} counts the messages read
 * back. A write that fails (disk full, directory gone) refuses the message with a retryable
 * {@link TransportException} naming the directory and the cause, counted in
 * {@code edgeai4j_hub_store_write_failures_total{operation="write"}}; copies of the same message already written
 * to other endpoints' stores are removed again. Metrics: {@code edgeai4j_hub_store_replayed_total},
 * {@code edgeai4j_hub_store_write_failures_total}, {@code edgeai4j_hub_store_disk_bytes}.
 *
 * <p>Thread-safe. The creator owns it and closes it; closing stops delivery and disconnects modules.
 */
public final class LocalEdgeHub implements AutoCloseable {
  /** The module id twin change notifications come from, as in edgeHub. */
  public static final String EDGE_HUB_MODULE_ID = "$edgeHub";
  static final String TWIN_CHANGE_NOTIFICATION = "twinChangeNotification";
  private static final Logger LOG = LoggerFactory.getLogger(LocalEdgeHub.class);
  private static final Duration POLL_WAIT = Duration.ofMillis(500);
  /**
   * The system properties of a child device's message that reach the parent's edgeHub: those edgeHub's
   * {@code DeviceClientMessageConverter} copies into the SDK message its {@code CloudProxy} sends upstream.
   */
  public static final Set<String> DOWNSTREAM_SYSTEM_PROPERTIES = Set.of(
      SystemProperties.MESSAGE_ID,
      SystemProperties.CORRELATION_ID,
      SystemProperties.USER_ID,
      SystemProperties.CONTENT_TYPE,
      SystemProperties.CONTENT_ENCODING,
      SystemProperties.CREATION_TIME,
      SystemProperties.MESSAGE_SCHEMA);

  private final HubOptions options;
  private final Clock clock;
  private final RouteTable routeTable;
  private final Set<String> moduleIds;
  private final Map<String, EndpointQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, TwinStore> twins = new ConcurrentHashMap<>();
  private final Map<String, TransportListener> links = new ConcurrentHashMap<>();
  private final Map<String, TransportListener> cutLinks = new ConcurrentHashMap<>();
  private final Set<String> warnedUnrouted = ConcurrentHashMap.newKeySet();
  private final Set<String> warnedSystemProperties = ConcurrentHashMap.newKeySet();
  private final AtomicLong storeBytes = new AtomicLong();
  private final HubMetrics metrics;
  /** The disk copy of the queues, or null without a store directory. */
  private final HubStore store;
  /** Held while a message's copies are written to the store and queued, so that both have the same order. */
  private final Object storeWrites = new Object();
  private final AtomicLong sequences;
  private final ExecutorService pumps = Executors.newCachedThreadPool(named("edge-hub-delivery"));
  private final ExecutorService methodCalls = Executors.newCachedThreadPool(named("edge-hub-method"));
  private final ScheduledExecutorService cleaner =
      Executors.newSingleThreadScheduledExecutor(named("edge-hub-cleanup"));
  private volatile boolean closed;

  /**
   * Creates and starts the hub; with a store directory, first reads back the messages stored there.
   *
   * @param options The routes, limits, modules and twins.
   * @param registry Where the hub's metrics are registered.
   * @throws java.io.UncheckedIOException If the store directory cannot be created or written, another hub has it
   *     open, or it holds a message that cannot be read; the message names the directory and the cause.
   */
  public LocalEdgeHub(HubOptions options, PrometheusRegistry registry) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = options.clock();
    this.routeTable = new RouteTable(options.routes());
    this.moduleIds = new TreeSet<>(options.moduleIds());
    for (String id : moduleIds) {
      twins.put(id, new TwinStore(options.desiredProperties().getOrDefault(id,
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
    }
    this.store = openStore(options);
    this.sequences = new AtomicLong(store == null ? 0 : store.nextSequence());
    this.metrics = new HubMetrics(registry, queues::values, storeBytes::get,
        () -> store == null ? 0 : store.diskBytes());
    for (RouteSpec spec : options.routes()) {
      Sink sink = spec.route().sink();
      if (sink instanceof ModuleInputSink in && !moduleIds.contains(in.moduleId())) {
        LOG.warn("Route '{}' sends to module '{}', which the manifest does not define; its messages will"
            + " wait in the queue until they expire", spec.name(), in.moduleId());
      }
      queueFor(sink);
    }
    if (store != null) {
      replay();
    }
    long cleanupMillis = options.cleanupInterval().toMillis();
    cleaner.scheduleWithFixedDelay(this::removeExpired, cleanupMillis, cleanupMillis, TimeUnit.MILLISECONDS);
  }

  private HubStore openStore(HubOptions options) {
    Path directory = options.storeDirectory();
    if (directory == null) {
      return null;
    }
    try {
      return HubStore.open(directory, options.storeFsync());
    } catch (IOException e) {
      pumps.shutdownNow();
      methodCalls.shutdownNow();
      cleaner.shutdownNow();
      // A FileSystemException's message is often the path alone: its class says what went wrong.
      String cause = e instanceof java.nio.file.FileSystemException ? e.toString() : e.getMessage();
      throw new UncheckedIOException("Cannot open the hub's store directory " + directory + ": " + cause, e);
    }
  }

  /** Queues what the store read back, in each log's order; expires and counts what expired meanwhile. */
  private void replay() {
    Instant now = clock.instant();
    Map<String, Integer> queued = new java.util.TreeMap<>();
    int expiredMeanwhile = 0;
    List<HubStore.Replayed> readBack = store.takeReplayed();
    for (HubStore.Replayed replayed : readBack) {
      String endpoint = replayed.endpointId();
      QueuedMessage message = replayed.message();
      metrics.storeReplayed.labelValues(endpoint).inc();
      if (message.isExpired(now)) {
        metrics.expired.labelValues(endpoint).inc();
        finish(endpoint, message);
        expiredMeanwhile++;
        continue;
      }
      Sink sink = sinkOf(endpoint);
      if (sink instanceof ModuleInputSink in && !moduleIds.contains(in.moduleId())) {
        LOG.warn("The store holds a message for module '{}', which the manifest does not define; it will wait in"
            + " the queue until it expires", in.moduleId());
      }
      storeBytes.addAndGet(message.size());
      queueFor(sink).add(message);
      queued.merge(endpoint, 1, Integer::sum);
    }
    if (!readBack.isEmpty()) {
      LOG.info("Read back {} messages from the store {}: {} queued {}, {} expired while no hub ran",
          readBack.size(), store.directory(), queued.values().stream().mapToInt(Integer::intValue).sum(),
          queued, expiredMeanwhile);
    }
    if (storeBytes.get() > options.maxStoreBytes()) {
      LOG.warn("The store {} holds {} bytes of messages, more than maxStoreBytes {}: new messages are refused until"
          + " delivery or expiry makes room", store.directory(), storeBytes.get(), options.maxStoreBytes());
    }
  }

  /** The sink of an endpoint id as {@link Sink#endpointId()} writes it. */
  private static Sink sinkOf(String endpointId) {
    if (endpointId.equals(UpstreamSink.INSTANCE.endpointId())) {
      return UpstreamSink.INSTANCE;
    }
    int slash = endpointId.indexOf('/');
    return new ModuleInputSink(endpointId.substring(0, slash), endpointId.substring(slash + 1));
  }

  /** Returns the device id the hub stamps on messages. */
  public String deviceId() {
    return options.deviceId();
  }

  /** Returns the ids of the manifest's modules, started or external. */
  public Set<String> moduleIds() {
    return Set.copyOf(moduleIds);
  }

  /** Returns whether a module is connected now. */
  public boolean isConnected(String moduleId) {
    return links.containsKey(moduleId);
  }

  /**
   * Returns a transport for one of the manifest's modules; the caller (a module host) owns it.
   *
   * @param moduleId The module id.
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public ModuleTransport transportFor(String moduleId) {
    requireModule(moduleId);
    return new LocalModuleTransport(this, new ModuleIdentity(options.deviceId(), moduleId));
  }

  /**
   * Returns a module's whole twin.
   *
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public TwinDocument twin(String moduleId) {
    return requireModule(moduleId).snapshot();
  }

  /**
   * Patches a module's desired properties, as a deployment or the cloud would, and sends the patch to
   * the module if it is connected (edgeHub does not keep patches for a disconnected module; the module
   * reads the whole twin when it connects).
   *
   * @return The twin after the patch.
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public TwinDocument patchDesired(String moduleId, ObjectNode patch) {
    TwinStore twin = requireModule(moduleId);
    ObjectNode versioned = twin.patchDesired(patch);
    TransportListener link = links.get(moduleId);
    if (link != null) {
      link.onDesiredPropertiesPatch(versioned);
    }
    LOG.info("Desired properties of '{}' patched to $version {}", moduleId, versioned.get("$version"));
    return twin.snapshot();
  }

  /**
   * Invokes a direct method on a connected module.
   *
   * @param moduleId The module id.
   * @param methodName The method.
   * @param payload The JSON payload.
   * @param timeout How long to wait for the answer (edgeHub allows 5 to 300 s).
   * @return The module's answer; 404 when the module is not connected, 504 when it does not answer in time.
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public MethodResponse invokeMethod(String moduleId, String methodName, JsonNode payload, Duration timeout) {
    requireModule(moduleId);
    TransportListener link = links.get(moduleId);
    if (link == null) {
      return MethodResponse.error(404, "module '" + moduleId + "' is not connected; connected modules: "
          + new TreeSet<>(links.keySet()));
    }
    Future<MethodResponse> call = methodCalls.submit(
        () -> link.onMethodInvoked(new MethodRequest(methodName, payload)));
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return MethodResponse.error(504, "method '" + methodName + "' of module '" + moduleId
          + "' did not answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      return MethodResponse.error(500, "method '" + methodName + "' failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MethodResponse.error(503, "interrupted while waiting for method '" + methodName + "'");
    }
  }

  /** Returns the number of waiting messages per endpoint. */
  public Map<String, Integer> queueLengths() {
    Map<String, Integer> lengths = new LinkedHashMap<>();
    queues.values().stream().sorted(java.util.Comparator.comparing(EndpointQueue::endpointId))
        .forEach(q -> lengths.put(q.endpointId(), q.size()));
    return lengths;
  }

  /** Returns the bytes held in all queues. */
  public long storeBytes() {
    return storeBytes.get();
  }

  /**
   * Cuts a connected module's link, as a network failure would (fault injection for tests and for
   * {@code edge run}): the module is told {@link ConnectionStatus#DISCONNECTED_RETRYING} with
   * {@link ConnectionStatusReason#NO_NETWORK}, its sends, twin reads and reported-property updates fail
   * with a retryable {@link TransportException}, and messages for it wait in their queues (expiring by
   * their TTL) until {@link #restoreLink(String)}.
   *
   * @return Whether a connected link was cut (false when the module is not connected or already cut).
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public boolean cutLink(String moduleId) {
    requireModule(moduleId);
    synchronized (links) {
      TransportListener link = links.remove(moduleId);
      if (link == null) {
        return false;
      }
      cutLinks.put(moduleId, link);
      link.onConnectionStatusChanged(new ConnectionStatusChange(ConnectionStatus.DISCONNECTED_RETRYING,
          ConnectionStatusReason.NO_NETWORK, null));
    }
    LOG.warn("Link of module '{}' cut (fault injected)", moduleId);
    return true;
  }

  /**
   * Restores a link cut by {@link #cutLink(String)}: the module is told
   * {@link ConnectionStatus#CONNECTED} and its waiting messages are delivered.
   *
   * @return Whether a cut link was restored.
   * @throws IllegalArgumentException If the manifest does not define the module.
   */
  public boolean restoreLink(String moduleId) {
    requireModule(moduleId);
    synchronized (links) {
      TransportListener link = cutLinks.remove(moduleId);
      if (link == null) {
        return false;
      }
      links.put(moduleId, link);
      link.onConnectionStatusChanged(
          new ConnectionStatusChange(ConnectionStatus.CONNECTED, ConnectionStatusReason.CONNECTION_OK, null));
    }
    queues.values().forEach(EndpointQueue::wakeUp);
    LOG.info("Link of module '{}' restored", moduleId);
    return true;
  }

  /**
   * Offers the waiting {@code $upstream} messages to the {@link UpstreamTarget} now rather than after
   * {@link HubOptions#redeliveryDelay()}: called when the target becomes able to take them again (a link to the
   * parent device comes up), as edgeHub resumes sending when its upstream connection returns.
   */
  public void retryUpstream() {
    EndpointQueue upstream = queues.get(UpstreamSink.INSTANCE.endpointId());
    if (upstream != null) {
      upstream.wakeUp();
    }
  }

  /** Throws the retryable error a module sees while its link is cut. */
  void requireLink(String moduleId) throws TransportException {
    if (cutLinks.containsKey(moduleId)) {
      throw new TransportException("the link of module '" + moduleId + "' to edgeHub is cut (fault injected"
          + " by cutLink); retry after it is restored", true, null);
    }
  }

  // ---- called by LocalModuleTransport ----

  void connect(String moduleId, TransportListener listener) throws TransportException {
    if (closed) {
      throw new TransportException("the local hub is closed", false, null);
    }
    if (links.putIfAbsent(moduleId, listener) != null) {
      throw new TransportException("module '" + moduleId + "' is already connected", false, null);
    }
    listener.onConnectionStatusChanged(
        new ConnectionStatusChange(ConnectionStatus.CONNECTED, ConnectionStatusReason.CONNECTION_OK, null));
    queues.values().forEach(EndpointQueue::wakeUp);
    LOG.info("Module '{}' connected", moduleId);
  }

  void disconnect(String moduleId, TransportListener listener) {
    cutLinks.remove(moduleId, listener);
    if (links.remove(moduleId, listener)) {
      listener.onConnectionStatusChanged(
          new ConnectionStatusChange(ConnectionStatus.DISCONNECTED, ConnectionStatusReason.CLIENT_CLOSE, null));
      LOG.info("Module '{}' disconnected", moduleId);
    }
  }

  void publish(String moduleId, String outputName, EdgeMessage sent) throws TransportException {
    if (closed) {
      throw new TransportException("the local hub is closed", false, null);
    }
    for (String name : EdgeHubWire.systemPropertiesNotSent(sent)) {
      if (warnedSystemProperties.add(name)) {
        LOG.warn("System property '{}' set by module '{}' is dropped: a module's message cannot carry it to"
            + " edgeHub over MQTT (warned once per property)", name, moduleId);
      }
    }
    // Route what edgeHub would receive from this module, not what the module built.
    EdgeMessage message = EdgeHubWire.asReceivedByEdgeHub(sent);
    int size = message.sizeInBytes();
    if (size > EdgeMessage.MAX_SIZE_BYTES) {
      metrics.refused.labelValues("too_large").inc();
      throw new MessageTooLargeException(outputName, size);
    }
    Instant now = clock.instant();
    EdgeMessage.Builder stamped = message.toBuilder()
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, options.deviceId())
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, moduleId)
        .systemProperty(SystemProperties.ENQUEUED_TIME, now.toString());
    if (outputName != null) {
      stamped.systemProperty(SystemProperties.OUTPUT_NAME, outputName);
    }
    if (message.messageId().isEmpty()) {
      stamped.messageId(UUID.randomUUID().toString());
    }
    // Without an output name (an SDK module's sendEvent(message)), edgeHub's source is /messages/modules/<m>/.
    route(stamped.build(), outputName == null ? MessageSource.modulePath(moduleId)
        : MessageSource.moduleOutputPath(moduleId, outputName), now);
  }

  /**
   * Accepts a message that a child IoT Edge device's edgeHub sent upstream to this one (nested IoT Edge), as
   * edgeHub 1.x receives it: the child's {@code CloudEndpoint} sends each message with the identity of the
   * module that produced it ({@code <connectionDeviceId>/<connectionModuleId>}) through a client that carries only
   * the body, the application properties and {@link #DOWNSTREAM_SYSTEM_PROPERTIES}; this hub stamps the identity of
   * that connection ({@code connectionDeviceId} = the child device, {@code connectionModuleId} = its module) and
   * {@code enqueuedTime}. No {@code outputName} crosses, so the source path routes see is
   * {@code /messages/modules/<module>/}: {@code FROM /messages/* WHERE $connectionDeviceId = 'sensor'} selects them,
   * a {@code FROM /messages/modules/<m>/outputs/*} route does not. Routed like any other message, with TTL and
   * priority, and refused as {@link #publish} refuses (too large, store full).
   *
   * @param fromChild The message as it left the child's {@code $upstream} store, with the child hub's system
   *     properties ({@code connectionDeviceId} required).
   * @throws TransportException Retryable when the store is full or the hub is closed; not retryable when the
   *     message names no {@code connectionDeviceId} or is too large.
   */
  public void publishFromChildDevice(EdgeMessage fromChild) throws TransportException {
    if (closed) {
      throw new TransportException("the local hub is closed", true, null);
    }
    String deviceId = fromChild.systemProperty(SystemProperties.CONNECTION_DEVICE_ID).orElse(null);
    if (deviceId == null || deviceId.isBlank()) {
      throw new TransportException("a message from a child device has no connectionDeviceId; edgeHub's"
          + " CloudEndpoint sends no message without an identity", false, null);
    }
    String moduleId = fromChild.systemProperty(SystemProperties.CONNECTION_MODULE_ID).orElse(null);
    EdgeMessage.Builder received = EdgeMessage.builder().body(fromChild.body()).properties(fromChild.properties());
    fromChild.systemProperties().forEach((k, v) -> {
      if (DOWNSTREAM_SYSTEM_PROPERTIES.contains(k)) {
        received.systemProperty(k, v);
      }
    });
    Instant now = clock.instant();
    received.systemProperty(SystemProperties.CONNECTION_DEVICE_ID, deviceId)
        .systemProperty(SystemProperties.ENQUEUED_TIME, now.toString());
    if (moduleId != null && !moduleId.isBlank()) {
      received.systemProperty(SystemProperties.CONNECTION_MODULE_ID, moduleId);
    }
    if (fromChild.messageId().isEmpty()) {
      received.messageId(UUID.randomUUID().toString());
    }
    EdgeMessage message = received.build();
    int size = message.sizeInBytes();
    if (size > EdgeMessage.MAX_SIZE_BYTES) {
      metrics.refused.labelValues("too_large").inc();
      throw new TransportException("a message from device '" + deviceId + "' is " + size + " bytes, over edgeHub's"
          + " limit of " + EdgeMessage.MAX_SIZE_BYTES + " bytes", false, null);
    }
    metrics.fromChildDevices.labelValues(deviceId).inc();
    route(message, MessageSource.sourcePathFor(message.systemProperties()), now);
  }

  void updateReported(String moduleId, ObjectNode patch) throws TransportException {
    long version = requireModule(moduleId).patchReported(patch);
    // The body has IoT Hub's twin-change-notification shape, which twin_change_includes queries:
    // {"version": n, "properties": {"reported": <the patch>}}.
    ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("version", version);
    body.putObject("properties").set("reported", patch.deepCopy());
    Instant now = clock.instant();
    EdgeMessage notification = EdgeMessage.builder()
        .jsonBody(body.toString())
        .messageId(UUID.randomUUID().toString())
        .systemProperty(SystemProperties.MESSAGE_TYPE, TWIN_CHANGE_NOTIFICATION)
        .systemProperty(SystemProperties.MESSAGE_SCHEMA, TWIN_CHANGE_NOTIFICATION)
        .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, options.deviceId())
        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, EDGE_HUB_MODULE_ID)
        .systemProperty(SystemProperties.ENQUEUED_TIME, now.toString())
        .property("moduleId", moduleId)
        .build();
    route(notification, MessageSource.TWIN_CHANGE_NOTIFICATIONS_PATH, now);
  }

  private void route(EdgeMessage message, String sourcePath, Instant now) throws TransportException {
    RoutingMessage routing = new RoutingMessage(sourcePath, message.properties(),
        message.systemProperties(), message.body());
    List<RouteMatch> matches = routeTable.evaluate(routing);
    if (matches.isEmpty()) {
      if (!sourcePath.equals(MessageSource.TWIN_CHANGE_NOTIFICATIONS_PATH)) {
        metrics.unrouted.labelValues(sourcePath).inc();
        if (warnedUnrouted.add(sourcePath)) {
          LOG.warn("A message from {} matched no route and was dropped, as edgeHub drops it (further"
              + " drops from this source are only counted in edgeai4j_hub_messages_unrouted_total)",
              sourcePath);
        }
      }
      return;
    }
    List<EdgeMessage> copies = new ArrayList<>(matches.size());
    long needed = 0;
    for (RouteMatch match : matches) {
      EdgeMessage copy = message;
      if (match.sink() instanceof ModuleInputSink in) {
        copy = message.toBuilder().systemProperty(SystemProperties.INPUT_NAME, in.inputName()).build();
      }
      copies.add(copy);
      needed += copy.sizeInBytes();
    }
    long limit = options.maxStoreBytes();
    long after = storeBytes.addAndGet(needed);
    if (after > limit) {
      storeBytes.addAndGet(-needed);
      metrics.refused.labelValues("store_full").inc();
      throw new TransportException("the local hub's store is full: " + (after - needed) + " of " + limit
          + " bytes used (storeAndForwardConfiguration.storeLimits.maxSizeBytes); the message from "
          + sourcePath + " was not accepted", true, null);
    }
    if (store == null) {
      enqueue(matches, copies, sourcePath, now);
      return;
    }
    synchronized (storeWrites) {
      List<QueuedMessage> queued = queuedCopies(matches, copies, sourcePath, now);
      try {
        store.write(matches.stream().map(m -> m.sink().endpointId()).toList(), queued);
      } catch (IOException e) {
        storeBytes.addAndGet(-needed);
        metrics.storeWriteFailures.labelValues("write").inc();
        throw new TransportException("the message from " + sourcePath + " was not accepted: " + e.getMessage(), true,
            e);
      }
      for (int i = 0; i < queued.size(); i++) {
        queue(matches.get(i), queued.get(i));
      }
    }
  }

  private void enqueue(List<RouteMatch> matches, List<EdgeMessage> copies, String sourcePath, Instant now) {
    List<QueuedMessage> queued = queuedCopies(matches, copies, sourcePath, now);
    for (int i = 0; i < queued.size(); i++) {
      queue(matches.get(i), queued.get(i));
    }
  }

  private List<QueuedMessage> queuedCopies(List<RouteMatch> matches, List<EdgeMessage> copies, String sourcePath,
      Instant now) {
    List<QueuedMessage> queued = new ArrayList<>(copies.size());
    for (int i = 0; i < copies.size(); i++) {
      RouteMatch match = matches.get(i);
      Duration ttl = match.timeToLive() != null ? match.timeToLive() : options.storeAndForwardTimeToLive();
      queued.add(new QueuedMessage(copies.get(i), sourcePath, match.priority(), now,
          ttl == null ? null : now.plus(ttl), sequences.getAndIncrement()));
    }
    return queued;
  }

  private void queue(RouteMatch match, QueuedMessage message) {
    queueFor(match.sink()).add(message);
    metrics.enqueued.labelValues(match.sink().endpointId(), String.valueOf(match.priority())).inc();
  }

  private EndpointQueue queueFor(Sink sink) {
    return queues.computeIfAbsent(sink.endpointId(), id -> {
      EndpointQueue queue = new EndpointQueue(id, clock);
      pumps.submit(() -> pump(queue, sink));
      return queue;
    });
  }

  private void pump(EndpointQueue queue, Sink sink) {
    String endpoint = queue.endpointId();
    while (!closed) {
      try {
        TransportListener link = null;
        if (sink instanceof ModuleInputSink in) {
          link = links.get(in.moduleId());
          if (link == null) {
            queue.awaitChange(POLL_WAIT);
            continue;
          }
        }
        QueuedMessage next = queue.poll(POLL_WAIT, m -> expired(endpoint, m));
        if (next == null) {
          continue;
        }
        if (sink instanceof UpstreamSink) {
          writeUpstream(queue, next);
        } else if (links.get(((ModuleInputSink) sink).moduleId()) != link) {
          // The link was cut or replaced while waiting for a message: keep it for the next link.
          queue.putBack(next);
        } else {
          deliverToModule(queue, (ModuleInputSink) sink, link, next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Delivery on endpoint {} failed; retrying", endpoint, e);
      }
    }
  }

  private void deliverToModule(EndpointQueue queue, ModuleInputSink sink, TransportListener link,
      QueuedMessage next) throws InterruptedException {
    MessageDisposition disposition;
    try {
      disposition = link.onInputMessage(sink.inputName(), next.message());
    } catch (RuntimeException e) {
      LOG.warn("Module '{}' failed on input '{}'; the message stays queued", sink.moduleId(),
          sink.inputName(), e);
      disposition = MessageDisposition.ABANDON;
    }
    switch (disposition) {
      case COMPLETE -> delivered(sink.endpointId(), next);
      case REJECT -> {
        storeBytes.addAndGet(-next.size());
        finish(sink.endpointId(), next);
        metrics.rejected.labelValues(sink.endpointId()).inc();
        LOG.warn("Module '{}' rejected a message on input '{}'; it was dropped", sink.moduleId(),
            sink.inputName());
      }
      case ABANDON -> {
        queue.putBack(next);
        queue.awaitChange(options.redeliveryDelay());
      }
    }
  }

  private void writeUpstream(EndpointQueue queue, QueuedMessage next) throws InterruptedException {
    UpstreamTarget target = options.upstream();
    try {
      if (target.offer(next.message(), next.sourcePath())) {
        delivered(queue.endpointId(), next);
      } else {
        // The target (a link to the parent device, down or full) cannot take it now: it stays first in the store.
        queue.putBack(next);
        metrics.upstreamDeferred.inc();
        queue.awaitChange(options.redeliveryDelay());
      }
    } catch (java.io.UncheckedIOException e) {
      queue.putBack(next);
      metrics.upstreamWriteFailures.inc();
      LOG.error("Cannot write an $upstream message to {}; it stays queued and is written again in {} ms: {}",
          target.describe(), options.redeliveryDelay().toMillis(), e.getCause().getMessage());
      queue.awaitChange(options.redeliveryDelay());
    }
  }

  private void delivered(String endpoint, QueuedMessage message) {
    storeBytes.addAndGet(-message.size());
    finish(endpoint, message);
    metrics.delivered.labelValues(endpoint).inc();
  }

  private void expired(String endpoint, QueuedMessage message) {
    storeBytes.addAndGet(-message.size());
    finish(endpoint, message);
    metrics.expired.labelValues(endpoint).inc();
    LOG.info("A message from {} expired on endpoint {} after waiting since {}", message.sourcePath(),
        endpoint, message.enqueuedAt());
  }

  /** Lets the store remove a finished message; a failure leaves it on disk (delivered again after a restart). */
  private void finish(String endpoint, QueuedMessage message) {
    if (store == null) {
      return;
    }
    try {
      store.finish(endpoint, message);
    } catch (IOException e) {
      metrics.storeWriteFailures.labelValues("remove").inc();
      LOG.error("A finished message of endpoint {} stays on disk and would be delivered again after a restart: {}",
          endpoint, e.getMessage());
    }
  }

  private void removeExpired() {
    for (EndpointQueue queue : queues.values()) {
      queue.removeExpired(m -> expired(queue.endpointId(), m));
    }
  }

  private TwinStore requireModule(String moduleId) {
    TwinStore twin = twins.get(moduleId);
    if (twin == null) {
      throw new IllegalArgumentException("no module '" + moduleId + "' in the manifest; expected one of "
          + moduleIds);
    }
    return twin;
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Stops delivery and cleanup, after waiting up to {@link HubOptions#upstreamDrainTimeout()} for the
   * {@code $upstream} queue to be written out (the modules, stopped first, may just have sent). Without a store,
   * messages still queued are logged and counted in {@code edgeai4j_hub_messages_dropped_at_close_total}; with one,
   * they stay on disk for the next hub on the directory (logged as "N messages kept in DIR for the next start"), and
   * the store's files are forced and closed. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    EndpointQueue upstream = queues.get(UpstreamSink.INSTANCE.endpointId());
    if (upstream != null) {
      long deadline = System.nanoTime() + options.upstreamDrainTimeout().toNanos();
      try {
        while (upstream.size() > 0 && System.nanoTime() < deadline) {
          upstream.awaitChange(Duration.ofMillis(50));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    queues.values().forEach(EndpointQueue::close);
    cleaner.shutdownNow();
    pumps.shutdownNow();
    methodCalls.shutdownNow();
    if (store != null) {
      closeStore();
      return;
    }
    Map<String, Integer> left = queueLengths();
    left.forEach((endpoint, n) -> {
      if (n > 0) {
        metrics.droppedAtClose.labelValues(endpoint).inc(n);
      }
    });
    int waiting = left.values().stream().mapToInt(Integer::intValue).sum();
    if (waiting > 0) {
      LOG.warn("Local hub closed with {} messages still queued, which are dropped: {}", waiting, left);
    }
  }

  private void closeStore() {
    try {
      // A delivery that finishes now still leaves the disk; one that does not is delivered again after a restart.
      pumps.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long kept;
    synchronized (storeWrites) {
      kept = store.unfinished();
      try {
        store.close();
      } catch (IOException e) {
        metrics.storeWriteFailures.labelValues("remove").inc();
        LOG.error("Closing the hub's store {} failed; what it holds is read back at the next start: {}",
            store.directory(), e.toString());
      }
    }
    LOG.info("{} messages kept in {} for the next start", kept, store.directory());
  }
}
