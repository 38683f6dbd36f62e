package io.edgeai4j.azure;

import com.microsoft.azure.sdk.iot.device.hsm.UnixDomainSocketChannel;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.util.Objects;

/**
 * The SDK's {@link UnixDomainSocketChannel} over the JDK's own unix-domain sockets ({@link SocketChannel}
 * with {@link UnixDomainSocketAddress}, Java 16 and later), so that no native library such as
 * jnr-unixsocket is needed. The SDK uses it to reach the IoT Edge workload API
 * ({@code IOTEDGE_WORKLOADURI=unix:///var/run/iotedge/workload.sock}): it opens the socket, writes one HTTP
 * request, reads until the daemon closes the connection, then closes the socket.
 *
 * <p>Every read and write waits at most the timeout given at construction, so a hung workload API fails
 * the SDK's request with a {@link SocketTimeoutException} instead of blocking the module forever.
 *
 * <p>Ownership: the SDK owns an instance once it is handed to {@code ModuleClient.createFromEnvironment} and
 * opens and closes it once per request; an instance can be opened again after {@link #close()}.
 * Thread-safety: the methods are synchronized, but one request's open-write-read-close sequence must not
 * interleave with another's; the SDK issues one request at a time.
 */
public final class JdkUnixDomainSocketChannel implements UnixDomainSocketChannel {
  private final Duration timeout;
  private SocketChannel channel;
  private Selector selector;
  private String address;

  /**
   * Creates a closed channel.
   *
   * @param timeout The longest wait for each read or write; positive.
   */
  public JdkUnixDomainSocketChannel(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout is " + timeout + ", expected a positive duration");
    }
    this.timeout = timeout;
  }

  /**
   * Connects to the socket file.
   *
   * @param address The socket's path, e.g. {@code /var/run/iotedge/workload.sock} (the SDK strips the
   *     {@code unix://} scheme).
   * @throws IOException If the socket cannot be reached; the message names the path.
   */
  @Override
  public synchronized void open(String address) throws IOException {
    Objects.requireNonNull(address, "address");
    if (channel != null) {
      throw new IOException("Unix domain socket channel is already open to " + this.address
          + "; close it before opening " + address);
    }
    UnixDomainSocketAddress socketAddress;
    try {
      socketAddress = UnixDomainSocketAddress.of(address);
    } catch (InvalidPathException e) {
      throw new IOException("'" + address + "' is not a unix domain socket path", e);
    }
    SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      opened.connect(socketAddress);
      opened.configureBlocking(false);
      Selector openedSelector = Selector.open();
      this.channel = opened;
      this.selector = openedSelector;
      this.address = address;
    } catch (IOException e) {
      opened.close();
      throw new IOException("Cannot connect to the IoT Edge workload API socket " + address + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Writes all the bytes.
   *
   * @throws SocketTimeoutException If the daemon does not take the bytes within the timeout.
   * @throws IOException If the channel is not open or the write fails.
   */
  @Override
  public synchronized void write(byte[] output) throws IOException {
    Objects.requireNonNull(output, "output");
    SocketChannel open = requireOpen();
    ByteBuffer buffer = ByteBuffer.wrap(output);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (buffer.hasRemaining()) {
      if (open.write(buffer) == 0) {
        await(SelectionKey.OP_WRITE, deadline, "write to");
      }
    }
  }

  /**
   * Reads what is available, waiting for at least one byte.
   *
   * @return The number of bytes read, or -1 when the daemon has closed the connection.
   * @throws SocketTimeoutException If nothing arrives within the timeout.
   * @throws IOException If the channel is not open or the read fails.
   */
  @Override
  public synchronized int read(byte[] inputBuffer) throws IOException {
    Objects.requireNonNull(inputBuffer, "inputBuffer");
    SocketChannel open = requireOpen();
    if (inputBuffer.length == 0) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(inputBuffer);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int read = open.read(buffer);
      if (read != 0) {
        return read;
      }
      await(SelectionKey.OP_READ, deadline, "read from");
    }
  }

  /** Closes the connection; does nothing when it is not open. */
  @Override
  public synchronized void close() throws IOException {
    SocketChannel open = channel;
    Selector openSelector = selector;
    channel = null;
    selector = null;
    address = null;
    try {
      if (openSelector != null) {
        openSelector.close();
      }
    } finally {
      if (open != null) {
        open.close();
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "JdkUnixDomainSocketChannel{" + (channel == null ? "closed" : "open to " + address)
        + ", timeout=" + timeout + '}';
  }

  private SocketChannel requireOpen() throws IOException {
    if (channel == null) {
      throw new IOException("Unix domain socket channel is not open");
    }
    return channel;
  }

  private void await(int operation, long deadline, String verb) throws IOException {
    long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
    if (remainingMillis <= 0) {
      throw new SocketTimeoutException("Could not " + verb + " the IoT Edge workload API socket " + address
          + " within " + timeout);
    }
    SelectionKey key = channel.register(selector, operation);
    try {
      selector.select(remainingMillis);
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }
}
