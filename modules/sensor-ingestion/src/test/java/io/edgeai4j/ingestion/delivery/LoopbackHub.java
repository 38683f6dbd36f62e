package io.edgeai4j.ingestion.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The parent's side of {@link OutboxChild}'s hub: a TCP server on loopback (port 0) that takes lines
 * {@code <n> <messageId>}, records each as delivered and answers {@code ok}, or, for a share of them, records
 * nothing and answers {@code busy} (a send the hub refuses, which the outbox retries). Thread-safe; close() stops it.
 */
final class LoopbackHub implements AutoCloseable {
  /** One message the hub accepted. */
  record Delivery(int n, String messageId) {}

  private final ServerSocket server;
  private final List<Delivery> delivered = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final double refuseShare;
  private final Random random;

  LoopbackHub(double refuseShare, long seed) throws IOException {
    this.refuseShare = refuseShare;
    this.random = new Random(seed);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "loopback-hub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  List<Delivery> delivered() {
    return List.copyOf(delivered);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread handler = new Thread(() -> serve(socket), "loopback-hub-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        boolean refuse;
        synchronized (random) {
          refuse = random.nextDouble() < refuseShare;
        }
        if (!refuse) {
          String[] fields = line.split(" ", 2);
          delivered.add(new Delivery(Integer.parseInt(fields[0]), fields[1]));
        }
        out.write(refuse ? "busy\n" : "ok\n");
        out.flush();
      }
    } catch (IOException e) {
      // The connection ended: the child was killed or the hub closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : connections) {
      socket.close();
    }
  }
}
