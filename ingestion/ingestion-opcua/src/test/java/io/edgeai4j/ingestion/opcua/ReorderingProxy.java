package io.edgeai4j.ingestion.opcua;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an OPC UA server (security policy None only), which swaps two publish
 * responses once, as a busy server or network can deliver them: it holds publish response number
 * {@code holdAt} (counted over all connections) until the next publish response has arrived, then sends that
 * one first. Messages in between are held too, and the held messages keep their secure-channel sequence numbers
 * in increasing order (each message gets the next of the original numbers, so the client's channel checks pass).
 * Everything else passes unchanged. Closes its sockets and threads on {@link #close()}.
 */
final class ReorderingProxy implements AutoCloseable {
  /** PublishResponse_Encoding_DefaultBinary (i=829) as a four-byte binary NodeId. */
  private static final byte[] PUBLISH_RESPONSE = {0x01, 0x00, 0x3D, 0x03};
  private static final int SEQUENCE_NUMBER_OFFSET = 16;
  private static final int BODY_OFFSET = 24;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final int holdAt;
  private final AtomicInteger publishResponses = new AtomicInteger();
  private final AtomicInteger swaps = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  ReorderingProxy(int targetPort, int holdAt) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.holdAt = holdAt;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start("reordering-proxy-accept", this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** How many times two publish responses were swapped (0 or 1). */
  int swaps() {
    return swaps.get();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        start("reordering-proxy-up", () -> copy(client, server));
        start("reordering-proxy-down", () -> reorder(server, client));
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  private void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // A side closed.
    } finally {
      closeBoth(from, to);
    }
  }

  /** Server to client, message by message (8-byte header: type, chunk type, little-endian length). */
  private void reorder(Socket from, Socket to) {
    List<byte[]> held = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
      while (true) {
        byte[] message = readMessage(in);
        boolean publish = isPublishResponse(message);
        int number = publish ? publishResponses.incrementAndGet() : 0;
        if (held.isEmpty() && number != holdAt) {
          out.write(message);
          out.flush();
          continue;
        }
        held.add(message);
        if (publish && number > holdAt) {
          // Send the later publish response (the last held message) before the first one.
          List<byte[]> order = new ArrayList<>(held.subList(1, held.size()));
          order.add(held.get(0));
          renumber(held, order);
          for (byte[] each : order) {
            out.write(each);
          }
          out.flush();
          held.clear();
          swaps.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // A side closed.
    } finally {
      closeBoth(from, to);
    }
  }

  /** Gives the messages in {@code order} the sequence numbers the messages had in {@code original} order. */
  private static void renumber(List<byte[]> original, List<byte[]> order) {
    int[] numbers = new int[original.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = ByteBuffer.wrap(original.get(i)).order(ByteOrder.LITTLE_ENDIAN).getInt(SEQUENCE_NUMBER_OFFSET);
    }
    for (int i = 0; i < numbers.length; i++) {
      ByteBuffer.wrap(order.get(i)).order(ByteOrder.LITTLE_ENDIAN).putInt(SEQUENCE_NUMBER_OFFSET, numbers[i]);
    }
  }

  private static boolean isPublishResponse(byte[] message) {
    if (message.length < BODY_OFFSET + PUBLISH_RESPONSE.length || message[0] != 'M' || message[1] != 'S'
        || message[2] != 'G' || message[3] != 'F') {
      return false;
    }
    for (int i = 0; i < PUBLISH_RESPONSE.length; i++) {
      if (message[BODY_OFFSET + i] != PUBLISH_RESPONSE[i]) {
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
    ByteArrayOutputStream message = new ByteArrayOutputStream(length);
    message.write(header);
    message.write(in.readNBytes(length - 8));
    if (message.size() != length) {
      throw new EOFException("connection closed inside a message");
    }
    return message.toByteArray();
  }

  private void start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private static void closeBoth(Socket a, Socket b) {
    try {
      a.close();
      b.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (SocketException e) {
        // Already closed.
      }
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
