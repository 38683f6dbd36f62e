package io.edgeai4j.edgehub.server;

import io.edgeai4j.edgehub.identity.AuthResult;
import io.edgeai4j.edgehub.identity.ConnectAuthenticator;
import io.edgeai4j.edgehub.wire.InboundTopic;
import io.edgeai4j.edgehub.wire.WireFormatException;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One MQTT connection's protocol handling, on its Netty event loop (so its fields need no locks). */
final class MqttConnectionHandler extends SimpleChannelInboundHandler<MqttMessage> {
  static final String IDLE_HANDLER = "idle";
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);
  private static final int SUBACK_FAILURE = 0x80;

  private final LocalEdgeHub hub;
  private final ConnectAuthenticator authenticator;
  private final SessionRegistry sessions;
  private final ServerSettings settings;
  private final EndpointMetrics metrics;
  private ModuleConnection connection;
  private io.netty.util.concurrent.ScheduledFuture<?> tokenExpiry;
  private boolean refused;

  MqttConnectionHandler(LocalEdgeHub hub, ConnectAuthenticator authenticator, SessionRegistry sessions,
      ServerSettings settings, EndpointMetrics metrics) {
    this.hub = hub;
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
    if (refused) {
      return;   // the CONNACK refusing it is on its way, then the connection closes
    }
    if (msg.decoderResult().isFailure()) {
      onBadPacket(ctx, msg.decoderResult().cause());
      return;
    }
    MqttMessageType type = msg.fixedHeader().messageType();
    if (connection == null && type != MqttMessageType.CONNECT) {
      closeForProtocol(ctx, "sent " + type + " before CONNECT; expected CONNECT first");
      return;
    }
    switch (type) {
      case CONNECT -> onConnect(ctx, (MqttConnectMessage) msg);
      case SUBSCRIBE -> onSubscribe(ctx, (MqttSubscribeMessage) msg);
      case UNSUBSCRIBE -> onUnsubscribe(ctx, (MqttUnsubscribeMessage) msg);
      case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
      case PUBACK -> connection.onPubAck(((MqttPubAckMessage) msg).variableHeader().messageId());
      case PINGREQ -> ctx.writeAndFlush(
          new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
      case DISCONNECT -> ctx.close();
      default -> closeForProtocol(ctx, "sent " + type + ", which this endpoint does not support (no QoS 2);"
          + " expected CONNECT, SUBSCRIBE, UNSUBSCRIBE, PUBLISH (QoS 0 or 1), PUBACK, PINGREQ or DISCONNECT");
    }
  }

  private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage msg) {
    if (connection != null) {
      closeForProtocol(ctx, "sent a second CONNECT on one connection");
      return;
    }
    String clientId = msg.payload().clientIdentifier();
    int version = msg.variableHeader().version();
    if (version != 4) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "unacceptable_version",
          "client '" + clientId + "' speaks MQTT protocol level " + version + "; expected 4 (MQTT 3.1.1)");
      return;
    }
    byte[] password = msg.payload().passwordInBytes();
    AuthResult result = authenticator.authenticate(clientId, msg.payload().userName(),
        password == null ? new byte[0] : password);
    if (result instanceof AuthResult.Refused refused) {
      MqttConnectReturnCode code = switch (refused.reason()) {
        case IDENTIFIER_REJECTED -> MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
        case BAD_USERNAME_OR_PASSWORD -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        case NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      };
      refuse(ctx, code, refused.reason().name().toLowerCase(Locale.ROOT), refused.message());
      return;
    }
    AuthResult.Accepted accepted = (AuthResult.Accepted) result;
    ModuleIdentity identity = accepted.identity();
    if (hub.isConnected(identity.moduleId()) && !sessions.hasConnection(clientId)) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "connected_elsewhere", "module '"
          + identity.moduleId() + "' is already connected to the hub in-process (edge run runs it); expected a"
          + " module that runs outside edge run, or edge run told to leave this module to an external process");
      return;
    }
    ModuleTransport transport;
    try {
      transport = hub.transportFor(identity.moduleId());
    } catch (IllegalArgumentException e) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not_authorized", e.getMessage());
      return;
    }
    SessionRegistry.Attached attached = sessions.attach(clientId, identity, msg.variableHeader().isCleanSession(),
        session -> new ModuleConnection(ctx.channel(), session, transport, settings, metrics));
    connection = attached.connection();
    if (attached.tookOver()) {
      metrics.connectionsClosed.labelValues("takeover").inc();
    }
    int keepAlive = msg.variableHeader().keepAliveTimeSeconds();
    ctx.pipeline().remove(IDLE_HANDLER);
    if (keepAlive > 0) {
      ctx.pipeline().addBefore(ctx.name(), IDLE_HANDLER,
          new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    ctx.writeAndFlush(new MqttConnAckMessage(
        new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, attached.sessionPresent())));
    connection.open();
    closeWhenTokenExpires(ctx, identity, accepted.tokenExpiry());
  }

  /** Closes the connection when its SAS token expires (edgeHub drops expired ones); the SDK connects again. */
  private void closeWhenTokenExpires(ChannelHandlerContext ctx, ModuleIdentity identity, Instant expiry) {
    long millis = Math.max(0, Duration.between(settings.clock().instant(), expiry).toMillis());
    ModuleConnection current = connection;
    tokenExpiry = ctx.executor().schedule(() -> {
      if (ctx.channel().isActive() && connection == current) {
        LOG.info("The SAS token of module '{}' expired at {}; closing its connection (the SDK connects again with a"
            + " new token)", identity.moduleId(), expiry);
        metrics.connectionsClosed.labelValues("token_expired").inc();
        ctx.close();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  private void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String reason, String message) {
    refused = true;
    LOG.warn("MQTT CONNECT from {} refused (CONNACK 0x{}): {}", ctx.channel().remoteAddress(),
        String.format("%02x", code.byteValue()), message);
    metrics.connectionsRefused.labelValues(reason).inc();
    ctx.writeAndFlush(new MqttConnAckMessage(
        new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttConnAckVariableHeader(code, false))).addListener(ChannelFutureListener.CLOSE);
  }

  private void onSubscribe(ChannelHandlerContext ctx, MqttSubscribeMessage msg) {
    Session session = connectionSession();
    List<MqttTopicSubscription> wanted = msg.payload().topicSubscriptions();
    int[] codes = new int[wanted.size()];
    for (int i = 0; i < codes.length; i++) {
      MqttTopicSubscription s = wanted.get(i);
      if (session.allowed(s.topicName())) {
        session.subscribe(s.topicName());
        codes[i] = Math.min(s.qualityOfService().value(), MqttQoS.AT_LEAST_ONCE.value());
      } else {
        codes[i] = SUBACK_FAILURE;
        LOG.warn("Module '{}' may not subscribe to '{}'; expected one of {}, {}, {}, {}, {} (SUBACK 0x80)",
            session.identity.moduleId(), s.topicName(), session.inputsFilter, session.moduleFilter,
            Session.TWIN_RESPONSES, Session.DESIRED_PATCHES, Session.METHOD_CALLS);
      }
    }
    ctx.writeAndFlush(new MqttSubAckMessage(
        new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(msg.variableHeader().messageId()), new MqttSubAckPayload(codes)));
  }

  private void onUnsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage msg) {
    Session session = connectionSession();
    msg.payload().topics().forEach(session::unsubscribe);
    ctx.writeAndFlush(new MqttUnsubAckMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(msg.variableHeader().messageId())));
  }

  private Session connectionSession() {
    return connection.session();
  }

  private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg) {
    String topic = msg.variableHeader().topicName();
    MqttQoS qos = msg.fixedHeader().qosLevel();
    ModuleIdentity identity = connection.identity();
    if (qos == MqttQoS.EXACTLY_ONCE) {
      closeForProtocol(ctx, "published to '" + topic + "' at QoS 2; expected QoS 0 or 1");
      return;
    }
    InboundTopic parsed;
    try {
      parsed = InboundTopic.parse(topic);
    } catch (WireFormatException e) {
      refuseTopic(ctx, identity, e.getMessage());
      return;
    }
    if (parsed instanceof InboundTopic.Event event && (!event.deviceId().equals(identity.deviceId())
        || !event.moduleId().equals(identity.moduleId()))) {
      refuseTopic(ctx, identity, "topic '" + topic + "' is that of device '" + event.deviceId() + "' module '"
          + event.moduleId() + "'; a module may publish only to devices/" + identity.deviceId() + "/modules/"
          + identity.moduleId() + "/messages/events/... and $iothub/...");
      return;
    }
    connection.onPublish(parsed, ByteBufUtil.getBytes(msg.payload()), msg.variableHeader().packetId(), qos);
  }

  private void refuseTopic(ChannelHandlerContext ctx, ModuleIdentity identity, String message) {
    LOG.warn("Module '{}' published to a topic it may not use; closing its connection: {}",
        identity.moduleId(), message);
    metrics.refused.labelValues(identity.moduleId(), "topic").inc();
    metrics.connectionsClosed.labelValues("topic").inc();
    ctx.close();
  }

  private void onBadPacket(ChannelHandlerContext ctx, Throwable cause) {
    String module = connection == null ? "(not connected)" : connection.identity().moduleId();
    if (cause instanceof TooLongFrameException) {
      LOG.warn("Module '{}' sent an MQTT packet over the limit of {} bytes ({} bytes of payload, edgeHub's"
          + " MaxInboundMessageSize, plus {} for the topic): {}; closing its connection", module,
          settings.maxFrameBytes(), settings.maxMessageBytes(), ServerSettings.TOPIC_HEADROOM_BYTES,
          cause.getMessage());
      metrics.refused.labelValues(module, "frame_too_large").inc();
      metrics.connectionsClosed.labelValues("frame_too_large").inc();
      ctx.close();
      return;
    }
    closeForProtocol(ctx, "sent a malformed packet: " + cause.getMessage());
  }

  private void closeForProtocol(ChannelHandlerContext ctx, String message) {
    LOG.warn("MQTT client {} {}; closing the connection", describe(ctx), message);
    metrics.connectionsClosed.labelValues("protocol").inc();
    ctx.close();
  }

  private String describe(ChannelHandlerContext ctx) {
    return connection == null ? String.valueOf(ctx.channel().remoteAddress())
        : "'" + connection.identity().moduleId() + "'";
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      LOG.warn("MQTT client {} sent nothing within {}; closing the connection", describe(ctx), connection == null
          ? settings.connectTimeout().toMillis() + " ms of connecting (no CONNECT)" : "1.5 times its keep-alive");
      metrics.connectionsClosed.labelValues("idle").inc();
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (tokenExpiry != null) {
      tokenExpiry.cancel(false); // else the closed connection stays referenced until its token's expiry
    }
    if (connection != null) {
      connection.close();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("MQTT connection of {} failed: {}", describe(ctx), String.valueOf(cause.getMessage())
        .replace('\n', ' '));
    LOG.debug("MQTT connection failure", cause);
    ctx.close();
  }
}
