package io.edgeai4j.ingestion.modbus;

import com.digitalpetri.modbus.TimeoutScheduler;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.exceptions.ModbusException;
import com.digitalpetri.modbus.exceptions.ModbusExecutionException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus TCP client with threads of its own: a Netty event loop and an executor that runs the
 * client's callbacks, connection state machine and request timeouts (none of the library's shared,
 * process-wide pools), so that {@link #close()} leaves no thread behind. The client never reconnects
 * on its own: the owner calls {@link #connect()} and decides when to try again.
 *
 * <p>Not thread-safe: one thread (the source's poll thread) calls {@link #connect()},
 * {@link #disconnect()} and {@link #read}; {@link #close()} may come from another thread once that one
 * has stopped. {@link #close()} is idempotent.
 */
final class ModbusConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModbusConnection.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final ModbusSettings settings;
  private final ScheduledExecutorService io;
  private final NioEventLoopGroup eventLoop;
  private final ModbusTcpClient client;
  private boolean closed;

  /**
   * Creates the client, not yet connected.
   *
   * @param settings Where to connect, the unit id and the timeout.
   * @param threadPrefix The prefix of the names of the threads it starts.
   */
  ModbusConnection(ModbusSettings settings, String threadPrefix) {
    this.settings = settings;
    this.io = Executors.newSingleThreadScheduledExecutor(named(threadPrefix + "-io"));
    NioEventLoopGroup createdLoop = null;
    try {
      createdLoop = new NioEventLoopGroup(1, named(threadPrefix + "-netty"));
      this.eventLoop = createdLoop;
      this.client = newClient(settings, createdLoop, io);
    } catch (RuntimeException | Error e) {
      if (createdLoop != null) {
        createdLoop.shutdownGracefully(0, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      io.shutdownNow();
      throw e;
    }
  }

  private static ModbusTcpClient newClient(ModbusSettings settings, NioEventLoopGroup eventLoop,
      ScheduledExecutorService io) {
    NettyTcpClientTransport transport = NettyTcpClientTransport.create(config -> config
        .setHostname(settings.host())
        .setPort(settings.port())
        .setConnectTimeout(settings.timeout())
        // Fail at once when the connection is lost (lazy) and never retry in the background
        // (not persistent): the source owns the retry policy and reports each failure.
        .setConnectPersistent(false)
        .setReconnectLazy(true)
        .setEventLoopGroup(eventLoop)
        .setExecutor(io)
        .setChannelFsmCustomizer(fsm -> fsm.setScheduler(io)));
    return ModbusTcpClient.create(transport, config -> config
        .setRequestTimeout(settings.timeout())
        .setTimeoutScheduler(TimeoutScheduler.create(io, io)));
  }

  /**
   * Connects, waiting at most the connect timeout.
   *
   * @throws ModbusExecutionException If the device cannot be reached; its cause says why.
   */
  void connect() throws ModbusExecutionException {
    client.connect();
  }

  /** Drops the connection, if any; waits at most the timeout and never throws. */
  void disconnect() {
    try {
      client.disconnectAsync().toCompletableFuture().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("disconnect from {} failed", settings.endpoint(), e);
    }
  }

  /**
   * Sends one read request and waits for its answer (at most the request timeout).
   *
   * @return The response's data: registers two bytes each, or bits packed eight to a byte.
   * @throws com.digitalpetri.modbus.exceptions.ModbusResponseException If the device answered with an
   *     exception code (e.g. ILLEGAL_DATA_ADDRESS).
   * @throws ModbusException If the request timed out or could not be sent.
   */
  byte[] read(ReadRequest request) throws ModbusException {
    int unit = settings.unitId();
    int address = request.address();
    int quantity = request.quantity();
    return switch (request.table()) {
      case HOLDING_REGISTER -> client.readHoldingRegisters(unit, new ReadHoldingRegistersRequest(address, quantity))
          .registers();
      case INPUT_REGISTER -> client.readInputRegisters(unit, new ReadInputRegistersRequest(address, quantity))
          .registers();
      case COIL -> client.readCoils(unit, new ReadCoilsRequest(address, quantity)).coils();
      case DISCRETE_INPUT -> client.readDiscreteInputs(unit, new ReadDiscreteInputsRequest(address, quantity))
          .inputs();
    };
  }

  /** Disconnects and stops the event loop and the executor, waiting for their threads to end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      disconnect();
    } finally {
      eventLoop.shutdownGracefully(0, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_WAIT.toMillis() * 2);
      io.shutdownNow();
      awaitTermination(io);
    }
  }

  private static void awaitTermination(ScheduledExecutorService executor) {
    try {
      if (!executor.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("a Modbus client thread did not end within {}", SHUTDOWN_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
