package io.edgeai4j.ingestion.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A real Modbus TCP server (digitalpetri's {@link ModbusTcpServer}) on 127.0.0.1 and a free port,
 * serving an in-memory image of {@value #SIZE} addresses per table; any address at or past the end
 * answers ILLEGAL_DATA_ADDRESS. It records every read request it receives. Owns its own event loop
 * and executor; {@link #close()} releases them. Thread-safe.
 */
final class TestModbusServer implements AutoCloseable {
  /** How many addresses each table has. */
  static final int SIZE = 4000;

  /** A read request as the server received it. */
  record Request(Table table, int unitId, int address, int quantity) {}

  private final int port;
  private final int[] holding = new int[SIZE];
  private final int[] input = new int[SIZE];
  private final boolean[] coils = new boolean[SIZE];
  private final boolean[] discreteInputs = new boolean[SIZE];
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final NioEventLoopGroup eventLoop = new NioEventLoopGroup(1,
      (ThreadFactory) r -> new Thread(r, "test-modbus-server-netty"));
  private final ExecutorService executor = Executors.newSingleThreadExecutor(
      r -> new Thread(r, "test-modbus-server-executor"));
  private volatile Duration delay = Duration.ZERO;
  private ModbusTcpServer server;

  private TestModbusServer(int port) {
    this.port = port;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static TestModbusServer start() throws Exception {
    TestModbusServer server = new TestModbusServer(freePort());
    server.bind();
    return server;
  }

  /** Starts a server on {@code port} of 127.0.0.1. */
  static TestModbusServer startOn(int port) throws Exception {
    TestModbusServer server = new TestModbusServer(port);
    server.bind();
    return server;
  }

  /** A port nothing listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** Starts listening again on the same port, after {@link #stop()}. */
  synchronized void bind() throws Exception {
    if (server != null) {
      return;
    }
    NettyTcpServerTransport transport = NettyTcpServerTransport.create(config -> config
        .setBindAddress("127.0.0.1")
        .setPort(port)
        .setEventLoopGroup(eventLoop)
        .setExecutor(executor));
    ModbusTcpServer created = ModbusTcpServer.create(transport, new ImageServices());
    created.start();
    server = created;
  }

  /** Stops listening and closes every client connection. */
  synchronized void stop() throws Exception {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /** Sets registers of the holding table, from {@code address} on. */
  synchronized void holding(int address, int... words) {
    System.arraycopy(words, 0, holding, address, words.length);
  }

  /** Sets registers of the input table, from {@code address} on. */
  synchronized void input(int address, int... words) {
    System.arraycopy(words, 0, input, address, words.length);
  }

  synchronized void coil(int address, boolean value) {
    coils[address] = value;
  }

  synchronized void discreteInput(int address, boolean value) {
    discreteInputs[address] = value;
  }

  /** Makes every request take at least {@code delay} to answer. */
  void delay(Duration delay) {
    this.delay = delay;
  }

  /** The read requests received so far, in order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void received(Table table, int unitId, int address, int quantity, FunctionCode functionCode)
      throws ModbusResponseException {
    requests.add(new Request(table, unitId, address, quantity));
    Duration wait = delay;
    if (!wait.isZero()) {
      try {
        Thread.sleep(wait.toMillis()); // simulates a slow device, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (address + quantity > SIZE) {
      throw new ModbusResponseException(functionCode, ExceptionCode.ILLEGAL_DATA_ADDRESS);
    }
  }

  private synchronized byte[] registers(int[] table, int address, int quantity) {
    byte[] bytes = new byte[quantity * 2];
    for (int i = 0; i < quantity; i++) {
      bytes[2 * i] = (byte) (table[address + i] >> 8);
      bytes[2 * i + 1] = (byte) table[address + i];
    }
    return bytes;
  }

  private synchronized byte[] bits(boolean[] table, int address, int quantity) {
    byte[] bytes = new byte[(quantity + 7) / 8];
    for (int i = 0; i < quantity; i++) {
      if (table[address + i]) {
        bytes[i / 8] |= (byte) (1 << (i % 8));
      }
    }
    return bytes;
  }

  private final class ImageServices implements ModbusServices {
    @Override
    public ReadHoldingRegistersResponse readHoldingRegisters(ModbusRequestContext context, int unitId,
        ReadHoldingRegistersRequest request) throws ModbusResponseException {
      received(Table.HOLDING_REGISTER, unitId, request.address(), request.quantity(),
          FunctionCode.READ_HOLDING_REGISTERS);
      return new ReadHoldingRegistersResponse(registers(holding, request.address(), request.quantity()));
    }

    @Override
    public ReadInputRegistersResponse readInputRegisters(ModbusRequestContext context, int unitId,
        ReadInputRegistersRequest request) throws ModbusResponseException {
      received(Table.INPUT_REGISTER, unitId, request.address(), request.quantity(),
          FunctionCode.READ_INPUT_REGISTERS);
      return new ReadInputRegistersResponse(registers(input, request.address(), request.quantity()));
    }

    @Override
    public ReadCoilsResponse readCoils(ModbusRequestContext context, int unitId, ReadCoilsRequest request)
        throws ModbusResponseException {
      received(Table.COIL, unitId, request.address(), request.quantity(), FunctionCode.READ_COILS);
      return new ReadCoilsResponse(bits(coils, request.address(), request.quantity()));
    }

    @Override
    public ReadDiscreteInputsResponse readDiscreteInputs(ModbusRequestContext context, int unitId,
        ReadDiscreteInputsRequest request) throws ModbusResponseException {
      received(Table.DISCRETE_INPUT, unitId, request.address(), request.quantity(),
          FunctionCode.READ_DISCRETE_INPUTS);
      return new ReadDiscreteInputsResponse(bits(discreteInputs, request.address(), request.quantity()));
    }
  }
}
