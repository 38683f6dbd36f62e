package io.edgeai4j.edgehub.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.edgeai4j.edgehub.wire.InboundTopic;
import io.edgeai4j.edgehub.wire.ModuleMessages;
import io.edgeai4j.edgehub.wire.Topics;
import io.edgeai4j.module.ConnectionStatusChange;
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
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge between one accepted MQTT connection and the module's {@link ModuleTransport} on the hub: what the
 * module publishes goes to the transport (on one thread per connection, in order, PUBACKed after the transport
 * returned), what the hub sends the module ({@link TransportListener}) goes out as PUBLISH. Thread-safe; closed by
 * {@link #close} when the connection ends, which closes the transport.
 */
final class ModuleConnection implements TransportListener {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleConnection.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration MAX_METHOD_WAIT = Duration.ofSeconds(300);

  private final Channel channel;
  private final Session session;
  private final ModuleIdentity identity;
  private final ModuleTransport transport;
  private final ServerSettings settings;
  private final EndpointMetrics metrics;
  private final ExecutorService inbound;
  private final Semaphore inflight;
  private final Map<Integer, CompletableFuture<Void>> acks = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<MethodResponse>> methodCalls = new ConcurrentHashMap<>();
  private final AtomicInteger packetIds = new AtomicInteger();
  private final AtomicLong rids = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  ModuleConnection(Channel channel, Session session, ModuleTransport transport, ServerSettings settings,
      EndpointMetrics metrics) {
    this.channel = channel;
    this.session = session;
    this.identity = session.identity;
    this.transport = transport;
    this.settings = settings;
    this.metrics = metrics;
    this.inflight = new Semaphore(settings.maxInflightPerModule());
    this.inbound = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "edgehub-mqtt-" + identity.moduleId());
      t.setDaemon(true);
      return t;
    });
  }

  ModuleIdentity identity() {
    return identity;
  }

  Channel channel() {
    return channel;
  }

  Session session() {
    return session;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Connects the module to the hub, after the CONNACK went out. */
  void open() {
    run(() -> {
      try {
        transport.open(this);
        LOG.info("Module '{}' connected over MQTT from {}", identity.moduleId(), channel.remoteAddress());
      } catch (TransportException | RuntimeException e) {
        LOG.warn("Module '{}' cannot be connected to the hub: {}; closing its MQTT connection",
            identity.moduleId(), e.getMessage());
        channel.close();
      }
    });
  }

  /** Handles a PUBLISH from the module (the topic already parsed and checked), then PUBACKs a QoS 1 one. */
  void onPublish(InboundTopic topic, byte[] payload, int packetId, MqttQoS qos) {
    run(() -> {
      boolean ack;
      if (topic instanceof InboundTopic.Event e) {
        ack = onEvent(e, payload);
      } else if (topic instanceof InboundTopic.TwinGet g) {
        ack = onTwinGet(g);
      } else if (topic instanceof InboundTopic.ReportedPatch p) {
        ack = onReportedPatch(p, payload);
      } else {
        ack = onMethodResponse((InboundTopic.MethodResponse) topic, payload);
      }
      if (ack && qos == MqttQoS.AT_LEAST_ONCE) {
        channel.writeAndFlush(new MqttPubAckMessage(
            new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            MqttMessageIdVariableHeader.from(packetId)));
      }
    });
  }

  /** Completes the delivery the module PUBACKed. */
  void onPubAck(int packetId) {
    CompletableFuture<Void> ack = acks.get(packetId);
    if (ack != null) {
      ack.complete(null);
    } else {
      LOG.debug("PUBACK {} from '{}' matches no input in flight (acknowledged after its timeout)", packetId,
          identity.moduleId());
    }
  }

  private boolean onEvent(InboundTopic.Event event, byte[] payload) {
    String module = identity.moduleId();
    ModuleMessages.ModuleEvent decoded = ModuleMessages.decodeEvent(event.bag(), payload);
    try {
      transport.send(decoded.outputName(), decoded.message());
      metrics.received.labelValues(module).inc();
      return true;
    } catch (MessageTooLargeException e) {
      metrics.refused.labelValues(module, "too_large").inc();
      LOG.warn("Message of module '{}' on output '{}' dropped (acknowledged, as edgeHub does not store it): {}",
          module, decoded.outputName(), e.getMessage());
      return true;
    } catch (TransportException e) {
      if (e.isRetryable()) {
        metrics.refused.labelValues(module, "retryable").inc();
        metrics.connectionsClosed.labelValues("retryable").inc();
        LOG.warn("Message of module '{}' on output '{}' not stored (the hub may take it later), not acknowledged,"
            + " connection closed so that the module sends it again after reconnecting: {}", module,
            decoded.outputName(), e.getMessage());
        channel.close();
        return false;
      }
      return droppedAsNotAccepted(module, decoded.outputName(), e);
    } catch (IllegalArgumentException e) {
      return droppedAsNotAccepted(module, decoded.outputName(), e);
    }
  }

  /** A message the hub refused for good: counted, logged, and acknowledged (edgeHub does not store it). */
  private boolean droppedAsNotAccepted(String module, String outputName, Exception e) {
    metrics.refused.labelValues(module, "not_accepted").inc();
    LOG.warn("Message of module '{}' on output '{}' refused by the hub and dropped (acknowledged): {}", module,
        outputName, e.getMessage());
    return true;
  }

  private boolean onTwinGet(InboundTopic.TwinGet get) {
    try {
      TwinDocument twin = transport.getTwin();
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.set("desired", twin.desired());
      body.set("reported", twin.reported());
      publishTwinResponse(Topics.twinResponse(200, get.rid(), null), body);
    } catch (TransportException e) {
      publishTwinResponse(Topics.twinResponse(e.isRetryable() ? 503 : 500, get.rid(), null), error(e.getMessage()));
    }
    return true;
  }

  private boolean onReportedPatch(InboundTopic.ReportedPatch patch, byte[] payload) {
    JsonNode json;
    try {
      json = MAPPER.readTree(payload);
    } catch (java.io.IOException e) {
      json = null;
    }
    if (!(json instanceof ObjectNode object)) {
      publishTwinResponse(Topics.twinResponse(400, patch.rid(), null), error("reported properties patch is not"
          + " a JSON object; found " + preview(payload) + ", expected e.g. {\"key\": value}"));
      return true;
    }
    try {
      transport.updateReportedProperties(object);
      long version = transport.getTwin().reportedVersion();
      publishTwinResponse(Topics.twinResponse(204, patch.rid(), version), null);
    } catch (TransportException e) {
      publishTwinResponse(Topics.twinResponse(e.isRetryable() ? 503 : 500, patch.rid(), null),
          error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      publishTwinResponse(Topics.twinResponse(400, patch.rid(), null), error(e.getMessage()));
    }
    return true;
  }

  private boolean onMethodResponse(InboundTopic.MethodResponse response, byte[] payload) {
    CompletableFuture<MethodResponse> call = methodCalls.remove(response.rid());
    if (call == null) {
      LOG.warn("Module '{}' answered method call $rid={}, which is not waiting (answered after its timeout?)",
          identity.moduleId(), response.rid());
      return true;
    }
    JsonNode body;
    if (payload.length == 0) {
      body = NullNode.getInstance();
    } else {
      try {
        body = MAPPER.readTree(payload);
      } catch (JsonProcessingException e) {
        body = TextNode.valueOf(new String(payload, StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        body = NullNode.getInstance();
      }
    }
    call.complete(new MethodResponse(response.status(), body));
    return true;
  }

  private void publishTwinResponse(String topic, JsonNode body) {
    if (!session.subscribed(Session.TWIN_RESPONSES)) {
      LOG.warn("Module '{}' asked for its twin without subscribing to {}; the answer {} was not sent",
          identity.moduleId(), Session.TWIN_RESPONSES, topic);
      return;
    }
    publish(topic, body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8),
        MqttQoS.AT_MOST_ONCE, 0);
  }

  private static ObjectNode error(String message) {
    return JsonNodeFactory.instance.objectNode().put("message", message);
  }

  private static String preview(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    return text.isEmpty() ? "an empty body" : "'" + (text.length() > 60 ? text.substring(0, 60) + "..." : text)
        + "'";
  }

  // ---- TransportListener: what the hub sends the module ----

  @Override
  public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
    String module = identity.moduleId();
    long timeout = settings.messageAckTimeout().toMillis();
    int packetId = 0;
    boolean acquired = false;
    try {
      if (!session.awaitInputsSubscribed(timeout, closed::get)) {
        return abandon(closed.get() ? "disconnected" : "not_subscribed", inputName);
      }
      if (!inflight.tryAcquire(timeout, TimeUnit.MILLISECONDS)) {
        return abandon("inflight_full", inputName);
      }
      acquired = true;
      CompletableFuture<Void> ack = new CompletableFuture<>();
      packetId = nextPacketId(ack);
      if (closed.get()) {
        return abandon("disconnected", inputName);
      }
      String topic = Topics.input(identity.deviceId(), module, inputName, ModuleMessages.inputBag(message));
      publish(topic, message.body(), MqttQoS.AT_LEAST_ONCE, packetId);
      ack.get(timeout, TimeUnit.MILLISECONDS);
      metrics.delivered.labelValues(module).inc();
      return MessageDisposition.COMPLETE;
    } catch (TimeoutException e) {
      LOG.warn("Module '{}' did not acknowledge a message on input '{}' within {} ms (messageAckTimeout); it is"
          + " given back to the hub and delivered again", module, inputName, timeout);
      return abandon("ack_timeout", inputName);
    } catch (ExecutionException e) {
      return abandon("disconnected", inputName);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return abandon("disconnected", inputName);
    } finally {
      if (packetId != 0) {
        acks.remove(packetId);
      }
      if (acquired) {
        inflight.release();
      }
    }
  }

  private MessageDisposition abandon(String reason, String inputName) {
    metrics.abandoned.labelValues(identity.moduleId(), reason).inc();
    LOG.debug("Input '{}' of '{}' abandoned: {}", inputName, identity.moduleId(), reason);
    return MessageDisposition.ABANDON;
  }

  private int nextPacketId(CompletableFuture<Void> ack) {
    while (true) {
      int id = packetIds.updateAndGet(n -> n >= 65535 ? 1 : n + 1);
      if (acks.putIfAbsent(id, ack) == null) {
        return id;
      }
    }
  }

  @Override
  public void onDesiredPropertiesPatch(ObjectNode patch) {
    if (!session.subscribed(Session.DESIRED_PATCHES)) {
      LOG.debug("Module '{}' has not subscribed to {}; desired patch $version {} not sent", identity.moduleId(),
          Session.DESIRED_PATCHES, patch.get("$version"));
      return;
    }
    publish(Topics.desiredPatch(patch.path("$version").asLong()), patch.toString().getBytes(StandardCharsets.UTF_8),
        MqttQoS.AT_MOST_ONCE, 0);
  }

  @Override
  public MethodResponse onMethodInvoked(MethodRequest request) {
    String module = identity.moduleId();
    if (!session.subscribed(Session.METHOD_CALLS)) {
      return MethodResponse.error(404, "module '" + module + "' has not subscribed to " + Session.METHOD_CALLS
          + ": it has no method handler");
    }
    String rid = Long.toHexString(rids.incrementAndGet());
    CompletableFuture<MethodResponse> call = new CompletableFuture<>();
    methodCalls.put(rid, call);
    try {
      if (closed.get()) {
        return MethodResponse.error(504, "module '" + module + "' disconnected before answering method '"
            + request.methodName() + "'");
      }
      publish(Topics.methodRequest(request.methodName(), rid),
          request.payload().toString().getBytes(StandardCharsets.UTF_8), MqttQoS.AT_MOST_ONCE, 0);
      return call.get(MAX_METHOD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return MethodResponse.error(504, "module '" + module + "' did not answer method '" + request.methodName()
          + "' within " + MAX_METHOD_WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      return MethodResponse.error(504, "module '" + module + "' disconnected before answering method '"
          + request.methodName() + "'");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MethodResponse.error(504, "method '" + request.methodName() + "' of module '" + module
          + "' was not answered in time");
    } finally {
      methodCalls.remove(rid);
    }
  }

  @Override
  public void onConnectionStatusChanged(ConnectionStatusChange change) {
    LOG.debug("Hub link of '{}': {} ({})", identity.moduleId(), change.status(), change.reason());
  }

  private void publish(String topic, byte[] body, MqttQoS qos, int packetId) {
    channel.writeAndFlush(new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
        new MqttPublishVariableHeader(topic, packetId), Unpooled.wrappedBuffer(body)));
  }

  private void run(Runnable task) {
    if (closed.get()) {
      return;
    }
    try {
      inbound.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("Handling a packet of module '{}' failed; closing its connection", identity.moduleId(), e);
          channel.close();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Connection of '{}' closed; packet dropped", identity.moduleId());
    }
  }

  /**
   * Ends the bridge: inputs in flight are given back to the hub (abandoned), method calls answered 504, the
   * transport closed (the module disconnected from the hub). Idempotent; a second caller waits until the first has
   * finished. Does not close the channel.
   */
  synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    TransportException gone = new TransportException("connection closed", true, null);
    acks.values().forEach(a -> a.completeExceptionally(gone));
    methodCalls.values().forEach(c -> c.completeExceptionally(gone));
    inbound.shutdown();
    try {
      transport.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing the hub transport of '{}' failed", identity.moduleId(), e);
    }
    // Detached only once the hub has let go of the module, so that a reconnecting client is never mistaken for a
    // module connected elsewhere.
    session.detach(this);
    LOG.info("Module '{}' disconnected from MQTT", identity.moduleId());
  }
}
