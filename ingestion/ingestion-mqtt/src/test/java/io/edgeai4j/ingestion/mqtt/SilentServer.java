package io.edgeai4j.ingestion.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on loopback that accepts TCP connections and never says a word: an MQTT client's CONNECT
 * goes unanswered, as with a hung broker. Counts the connections. Closes them all on {@link #close()}.
 */
final class SilentServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SilentServer() {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(EmbeddedBroker.HOST, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(this::acceptAll, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String uri() {
    return "tcp://" + EmbeddedBroker.HOST + ":" + server.getLocalPort();
  }

  /** How many TCP connections were made so far. */
  int connections() {
    return accepted.size();
  }

  private void acceptAll() {
    try {
      while (!server.isClosed()) {
        accepted.add(server.accept());
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    acceptor.join();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}
