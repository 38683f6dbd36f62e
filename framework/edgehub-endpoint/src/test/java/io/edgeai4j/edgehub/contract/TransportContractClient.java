package io.edgeai4j.edgehub.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.ConnectionStatusChange;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.MessageDisposition;
import io.edgeai4j.module.MethodRequest;
import io.edgeai4j.module.MethodResponse;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.ModuleTransportProvider;
import io.edgeai4j.module.spi.TransportException;
import io.edgeai4j.module.spi.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An edgeai4j transport as the module host uses it: the provider named by {@code EDGEAI4J_TRANSPORT}, found with
 * ServiceLoader, {@code provider.create(environment)}, then {@code open(listener)}.
 */
final class TransportContractClient implements ContractClient {
  private final ModuleTransport transport;
  private final BlockingQueue<Delivered> inputs = new LinkedBlockingQueue<>();
  private final List<ObjectNode> desiredPatches = new CopyOnWriteArrayList<>();
  private volatile ConnectionStatus status = ConnectionStatus.DISCONNECTED;

  private TransportContractClient(ModuleTransport transport) {
    this.transport = transport;
  }

  /** The provider registered under the name, failing with the names found when there is none. */
  static ModuleTransportProvider provider(String name) {
    List<ModuleTransportProvider> providers = ServiceLoader.load(ModuleTransportProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    return providers.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("No ModuleTransportProvider named '" + name
            + "' on the test class path; found " + providers.stream().map(ModuleTransportProvider::name).toList()));
  }

  /** Creates the provider's transport from the environment and opens it. */
  static TransportContractClient connect(String providerName, Map<String, String> environment)
      throws TransportException {
    ModuleTransport transport = provider(providerName).create(environment);
    TransportContractClient client = new TransportContractClient(transport);
    try {
      transport.open(client.listener());
    } catch (TransportException | RuntimeException e) {
      transport.close();
      throw e;
    }
    return client;
  }

  private TransportListener listener() {
    return new TransportListener() {
      @Override
      public MessageDisposition onInputMessage(String inputName, EdgeMessage message) {
        inputs.add(new Delivered(inputName, message.body(), message.properties(), message.systemProperties()));
        return MessageDisposition.COMPLETE;
      }

      @Override
      public void onDesiredPropertiesPatch(ObjectNode patch) {
        desiredPatches.add(patch.deepCopy());
      }

      @Override
      public MethodResponse onMethodInvoked(MethodRequest request) {
        ObjectNode answer = ContractEdge.JSON.createObjectNode().put("method", request.methodName());
        answer.set("request", request.payload());
        return MethodResponse.ok(answer);
      }

      @Override
      public void onConnectionStatusChanged(ConnectionStatusChange change) {
        status = change.status();
      }
    };
  }

  @Override
  public void send(String output, EdgeMessage message) throws Exception {
    transport.send(output, message);
  }

  @Override
  public Delivered nextInput(Duration timeout) throws InterruptedException {
    return inputs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public ObjectNode desiredProperties() throws Exception {
    return transport.getTwin().desired();
  }

  @Override
  public void reportProperties(ObjectNode patch) throws Exception {
    transport.updateReportedProperties(patch);
  }

  @Override
  public List<ObjectNode> desiredPatches() {
    return List.copyOf(desiredPatches);
  }

  @Override
  public boolean connected() {
    return status == ConnectionStatus.CONNECTED;
  }

  @Override
  public void close() {
    transport.close();
  }
}
