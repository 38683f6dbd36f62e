package io.edgeai4j.edgehub.server;

import io.edgeai4j.edgehub.identity.ConnectAuthenticator;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MQTT 3.1.1 server over TLS that speaks edgeHub's module surface for one {@link LocalEdgeHub}: each accepted
 * module is connected to the hub through {@code hub.transportFor(moduleId)}. The creator owns it; {@link #close()}
 * is idempotent and disconnects every client. Thread-safe.
 */
public final class MqttEndpointServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final SessionRegistry sessions;
  private final EndpointMetrics metrics;
  private volatile boolean closed;

  private MqttEndpointServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
      SessionRegistry sessions, EndpointMetrics metrics) {
    this.metrics = metrics;
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
    this.sessions = sessions;
  }

  /**
   * Starts listening.
   *
   * @param hub The hub modules are connected to.
   * @param authenticator Checks each CONNECT.
   * @param ssl The server's TLS context.
   * @param settings Address and limits.
   * @param registry Where the {@code edgeai4j_edgehub_*} metrics are registered.
   * @return The running server.
   * @throws IOException If the address cannot be bound; the message names it.
   */
  public static MqttEndpointServer start(LocalEdgeHub hub, ConnectAuthenticator authenticator, SslContext ssl,
      ServerSettings settings, PrometheusRegistry registry) throws IOException {
    SessionRegistry sessions = new SessionRegistry();
    EndpointMetrics metrics = new EndpointMetrics(registry, () -> sessions.connectedModules().size());
    EventLoopGroup boss = new NioEventLoopGroup(1, daemon("edgehub-mqtt-accept"));
    EventLoopGroup workers = new NioEventLoopGroup(2, daemon("edgehub-mqtt-io"));
    ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("tls", ssl.newHandler(ch.alloc()))
                .addLast("decoder", new MqttDecoder(settings.maxFrameBytes()))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast(MqttConnectionHandler.IDLE_HANDLER,
                    new IdleStateHandler(settings.connectTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast("mqtt", new MqttConnectionHandler(hub, authenticator, sessions, settings, metrics));
          }
        });
    try {
      Channel channel = bootstrap.bind(settings.address()).sync().channel();
      return new MqttEndpointServer(boss, workers, channel, sessions, metrics);
    } catch (Exception e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      metrics.unregister();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen for MQTT on " + settings.address() + ": " + e.getMessage()
          + (settings.address().getPort() == 8883 ? " (is another edge run or an MQTT broker using 8883?)" : ""), e);
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Returns the bound address (the real port when 0 was asked). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Returns the ids of the modules connected now. */
  public Set<String> connectedModules() {
    return sessions.connectedModules();
  }

  /**
   * Stops listening, disconnects every client (their hub transports are closed) and removes the metrics from the
   * registry. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    serverChannel.close().syncUninterruptibly();
    for (ModuleConnection c : sessions.connections()) {
      c.close();
      c.channel().close().syncUninterruptibly();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    metrics.unregister();
  }
}
