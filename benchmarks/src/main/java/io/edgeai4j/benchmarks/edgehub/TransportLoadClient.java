package io.edgeai4j.benchmarks.edgehub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edgeai4j transport, found by its provider name with ServiceLoader and created from the module's
 * environment, as {@code EdgeModuleMain} does. {@link LoadMode#EDGEHUB_MQTT_ASYNC} sends with
 * {@code sendAsync} and at most {@link LoadSettings#window()} unacknowledged; the other modes call {@code send}
 * and wait for each acknowledgement.
 */
final class TransportLoadClient implements LoadClient {
  private final ModuleTransport transport;

  private TransportLoadClient(ModuleTransport transport) {
    this.transport = transport;
  }

  static TransportLoadClient connect(String providerName, Map<String, String> environment, LoadTally tally)
      throws TransportException {
    ModuleTransport transport = provider(providerName).create(environment);
    try {
      transport.open(new Listener(tally));
    } catch (TransportException | RuntimeException e) {
      transport.close();
      throw e;
    }
    return new TransportLoadClient(transport);
  }

  /** The provider with that name, failing with the names found. */
  static ModuleTransportProvider provider(String name) {
    List<ModuleTransportProvider> providers = ServiceLoader.load(ModuleTransportProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    return providers.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("No ModuleTransportProvider named '" + name
            + "' on the class path; found " + providers.stream().map(ModuleTransportProvider::name).toList()));
  }

  @Override
  public void sendAll(int sender, int messages, LoadSettings settings, AtomicLong failures) throws Exception {
    if (settings.mode() != LoadMode.EDGEHUB_MQTT_ASYNC) {
      for (int i = 0; i < messages; i++) {
        try {
          transport.send("out", message(sender, i, settings));
        } catch (TransportException e) {
          failures.incrementAndGet();
        }
      }
      return;
    }
    Semaphore window = new Semaphore(settings.window());
    CountDownLatch acknowledged = new CountDownLatch(messages);
    for (int i = 0; i < messages; i++) {
      window.acquire();
      transport.sendAsync("out", message(sender, i, settings)).whenComplete((ok, error) -> {
        if (error != null) {
          failures.incrementAndGet();
        }
        window.release();
        acknowledged.countDown();
      });
    }
    acknowledged.await();
  }

  private static EdgeMessage message(int sender, int sequence, LoadSettings settings) {
    return EdgeMessage.builder().body(LoadTally.body(sender, sequence, settings.payloadBytes())).build();
  }

  @Override
  public void close() {
    transport.close();
  }

  /** Records inputs (receivers) and ignores the rest. */
  private record Listener(LoadTally tally) implements TransportListener {
    @Override
    public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
      if (tally != null) {
        tally.record(message.body());
      }
      return MessageDisposition.COMPLETE;
    }

    @Override
    public void onDesiredPropertiesPatch(ObjectNode patch) {}

    @Override
    public MethodResponse onMethodInvoked(MethodRequest request) {
      return MethodResponse.error(501, "load modules take no methods");
    }

    @Override
    public void onConnectionStatusChanged(ConnectionStatusChange change) {}
  }
}
