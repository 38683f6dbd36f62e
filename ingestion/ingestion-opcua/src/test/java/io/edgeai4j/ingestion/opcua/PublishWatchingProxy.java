package io.edgeai4j.ingestion.opcua;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an OPC UA server (security policy None only: it reads the message headers
 * and the type of each message's body), which passes every byte on unchanged and watches the publish requests:
 * how many were waiting for their response at most, at any moment, on any connection. Two at once means a
 * response can overtake the other. Closes its sockets and threads on {@link #close()}.
 */
final class PublishWatchingProxy implements AutoCloseable {
  /** PublishRequest_Encoding_DefaultBinary (i=826) as a four-byte binary NodeId. */
  private static final byte[] PUBLISH_REQUEST = {0x01, 0x00, 0x3A, 0x03};
  /** PublishResponse_Encoding_DefaultBinary (i=829). */
  private static final byte[] PUBLISH_RESPONSE = {0x01, 0x00, 0x3D, 0x03};
  /** In a symmetric message: the 12-byte message header, the token id, the sequence number, the request id. */
  private static final int REQUEST_ID_OFFSET = 20;
  private static final int BODY_OFFSET = 24;

  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicInteger maxOutstanding = new AtomicInteger();
  private final AtomicInteger publishResponses = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  PublishWatchingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start("publish-proxy-accept", this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The most publish requests that waited for their response at the same time on one connection. */
  int maxOutstandingPublishRequests() {
    return maxOutstanding.get();
  }

  /** The publish responses passed on so far. */
  int publishResponses() {
    return publishResponses.get();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        Set<Integer> outstanding = ConcurrentHashMap.newKeySet();
        start("publish-proxy-up", () -> pump(client, server, outstanding, true));
        start("publish-proxy-down", () -> pump(server, client, outstanding, false));
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  /** Copies message by message (8-byte header: type, chunk type, little-endian length) and watches publishes. */
  private void pump(Socket from, Socket to, Set<Integer> outstanding, boolean requests) {
    try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
      while (true) {
        byte[] message = readMessage(in);
        if (isMessage(message)) {
          int requestId = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(REQUEST_ID_OFFSET);
          if (requests && hasBodyType(message, PUBLISH_REQUEST)) {
            // Counted before the server can see it, so that its response cannot be counted first.
            outstanding.add(requestId);
            maxOutstanding.accumulateAndGet(outstanding.size(), Math::max);
          } else if (!requests && outstanding.remove(requestId) && hasBodyType(message, PUBLISH_RESPONSE)) {
            publishResponses.incrementAndGet();
          }
        }
        out.write(message);
        out.flush();
      }
    } catch (IOException e) {
      // A side closed.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // Nothing more to release.
      }
    }
  }

  private static boolean isMessage(byte[] message) {
    return message.length >= BODY_OFFSET + 4 && message[0] == 'M' && message[1] == 'S' && message[2] == 'G'
        && message[3] == 'F';
  }

  private static boolean hasBodyType(byte[] message, byte[] type) {
    for (int i = 0; i < type.length; i++) {
      if (message[BODY_OFFSET + i] != type[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readMessage(DataInputStream in) throws IOException {
    byte[] header = new byte[8];
    in.readFully(header);
    int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    if (length < 8) {
      throw new EOFException("bad OPC UA message length " + length);
    }
    byte[] message = new byte[length];
    System.arraycopy(header, 0, message, 0, 8);
    in.readFully(message, 8, length - 8);
    return message;
  }

  private void start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    for (Thread thread : threads) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
