package io.edgeai4j.ingestion.delivery;

import io.edgeai4j.ingestion.config.DeliveryConfig;
import io.edgeai4j.ingestion.pipeline.IngestionMetrics;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.retry.BackoffPolicy;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link OutboxCrashTest}: an outbox whose hub is a {@link LoopbackHub} in the parent
 * (port 0: a hub that refuses everything). Prints {@code started}, then offers {@code count} messages numbered
 * from {@code first}, printing {@code accepted <n>} after each offer returns, then {@code produced}; prints
 * {@code attempted} at the first send attempt to a refusing hub. Closes the outbox when its stdin ends; the
 * parent usually kills it first.
 *
 * <p>Arguments: directory, port, first, count.
 */
public final class OutboxChild {
  private OutboxChild() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int first = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    Outbox.Sender hub = port == 0 ? new RefusingHub() : new HubConnection(port);
    Outbox outbox = Outbox.open(hub, directory, DeliveryConfig.of(50, null, null, null), "child",
        IngestionMetrics.forRegistry(new PrometheusRegistry()).outbox("child"),
        BackoffPolicy.exponential(Duration.ofMillis(1), Duration.ofMillis(20)));
    outbox.start();
    System.out.println("started");
    for (int n = first; n < first + count; n++) {
      outbox.offer(new OutgoingMessage("readings", EdgeMessage.builder().jsonBody("{\"n\":" + n + "}")
          .property("n", Integer.toString(n)).build()));
      System.out.println("accepted " + n);
    }
    System.out.println("produced");
    while (System.in.read() >= 0) {
      // Until the parent closes stdin or kills this JVM.
    }
    outbox.close();
  }

  /** A hub that is down. */
  private static final class RefusingHub implements Outbox.Sender {
    private boolean attempted;

    @Override
    public void send(String output, EdgeMessage message) throws TransportException {
      if (!attempted) {
        attempted = true;
        System.out.println("attempted");
      }
      throw new TransportException("edgeHub unreachable", true, null);
    }
  }

  /** Sends {@code <n> <messageId>} and returns when the hub answers {@code ok}: its acceptance. */
  private static final class HubConnection implements Outbox.Sender {
    private final int port;
    private Socket socket;
    private BufferedReader in;
    private Writer out;

    HubConnection(int port) {
      this.port = port;
    }

    @Override
    public void send(String output, EdgeMessage message) throws TransportException {
      try {
        if (socket == null) {
          socket = new Socket(InetAddress.getLoopbackAddress(), port);
          in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
          out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
        }
        out.write(message.property("n").orElseThrow() + " " + message.messageId().orElseThrow() + "\n");
        out.flush();
        String reply = in.readLine();
        if (!"ok".equals(reply)) {
          throw new TransportException("the hub refused the message: " + reply, true, null);
        }
      } catch (IOException e) {
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        socket = null;
        throw new TransportException("the hub is unreachable: " + e, true, e);
      }
    }
  }
}
