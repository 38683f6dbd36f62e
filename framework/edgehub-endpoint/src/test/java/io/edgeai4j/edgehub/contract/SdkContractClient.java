package io.edgeai4j.edgehub.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.MessageProperty;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.SystemProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The Azure IoT device SDK 2.5.0's {@link ModuleClient} over MQTT, used as a module written against the SDK uses
 * it: messages go out with {@code sendEvent(message, output)}, inputs arrive at the default message callback,
 * twins and methods through the SDK's own calls. Nothing of edgeai4j's transport is involved.
 */
final class SdkContractClient implements ContractClient {
  static final int TIMEOUT_MILLIS = 10_000;
  private static final int TWIN_ATTEMPT_MILLIS = 3_000;
  private static final int TWIN_ATTEMPTS = 3;
  private static final ObjectMapper JSON = ContractEdge.JSON;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SdkContractClient.class);

  private final ModuleClient client;
  private final BlockingQueue<Delivered> inputs = new LinkedBlockingQueue<>();
  private final List<ObjectNode> desiredPatches = new CopyOnWriteArrayList<>();
  private final List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
  private volatile IotHubConnectionStatus status = IotHubConnectionStatus.DISCONNECTED;

  private SdkContractClient(ModuleClient client) {
    this.client = client;
  }

  /**
   * Creates a client from {@code EdgeHubConnectionString} and {@code EdgeModuleCACertificateFile}, connects it,
   * and subscribes to methods and desired properties.
   */
  static SdkContractClient connect(Map<String, String> environment) throws Exception {
    return connect(environment, ClientOptions.builder());
  }

  /** As {@link #connect(Map)}, with more client options (the trust is always the CA file). */
  static SdkContractClient connect(Map<String, String> environment, ClientOptions.ClientOptionsBuilder options)
      throws Exception {
    ModuleClient client = create(environment, options);
    SdkContractClient wrapper = new SdkContractClient(client);
    try {
      wrapper.open();
    } catch (Exception | Error e) {
      client.close();
      throw e;
    }
    return wrapper;
  }

  /** Creates, does not connect, the SDK client for a connection-string environment. */
  static ModuleClient create(Map<String, String> environment, ClientOptions.ClientOptionsBuilder options)
      throws Exception {
    SSLContext trust = IotHubSSLContext.getSSLContextFromFile(environment.get("EdgeModuleCACertificateFile"));
    return new ModuleClient(environment.get("EdgeHubConnectionString"), IotHubClientProtocol.MQTT,
        options.sslContext(trust).build());
  }

  private void open() throws Exception {
    client.setConnectionStatusChangeCallback(context -> {
      status = context.getNewStatus();
      statuses.add(context.getNewStatus());
    }, null);
    client.setMessageCallback(this::onInput, null);
    client.open(true);
    client.subscribeToMethods((name, payload, context) -> {
      JsonNode request = payload == null || payload.getPayloadAsJsonElement() == null
          ? NullNode.getInstance() : readTree(payload.getPayloadAsJsonString());
      ObjectNode answer = JSON.createObjectNode().put("method", name).set("request", request);
      return new DirectMethodResponse(200, JsonParser.parseString(answer.toString()));
    }, null, TIMEOUT_MILLIS);
    client.subscribeToDesiredProperties((twin, context) -> desiredPatches.add(toJson(twin.getDesiredProperties())),
        null, TIMEOUT_MILLIS);
  }

  private IotHubMessageResult onInput(Message message, Object context) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (MessageProperty property : message.getProperties()) {
      properties.put(property.getName(), property.getValue());
    }
    Map<String, String> system = new LinkedHashMap<>();
    putIfSet(system, SystemProperties.MESSAGE_ID, message.getMessageId());
    putIfSet(system, SystemProperties.CORRELATION_ID, message.getCorrelationId());
    putIfSet(system, SystemProperties.CONTENT_TYPE, message.getContentType());
    putIfSet(system, SystemProperties.CONTENT_ENCODING, message.getContentEncoding());
    putIfSet(system, SystemProperties.CONNECTION_DEVICE_ID, message.getConnectionDeviceId());
    putIfSet(system, SystemProperties.CONNECTION_MODULE_ID, message.getConnectionModuleId());
    putIfSet(system, SystemProperties.OUTPUT_NAME, message.getOutputName());
    byte[] body = message.getBytes();
    inputs.add(new Delivered(message.getInputName(), body == null ? new byte[0] : body, properties, system));
    return IotHubMessageResult.COMPLETE;
  }

  private static void putIfSet(Map<String, String> map, String name, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(name, value);
    }
  }

  /** Converts as a module would: properties, ids, content type and encoding; the body as bytes. */
  static Message toSdk(EdgeMessage message) {
    Message sdk = new Message(message.body());
    message.properties().forEach(sdk::setProperty);
    message.messageId().ifPresent(sdk::setMessageId);
    message.correlationId().ifPresent(sdk::setCorrelationId);
    message.contentType().ifPresent(sdk::setContentType);
    message.contentEncoding().ifPresent(sdk::setContentEncoding);
    return sdk;
  }

  @Override
  public void send(String output, EdgeMessage message) throws Exception {
    client.sendEvent(toSdk(message), output, TIMEOUT_MILLIS);
  }

  @Override
  public Delivered nextInput(Duration timeout) throws InterruptedException {
    return inputs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public ObjectNode desiredProperties() throws Exception {
    Twin twin = twinCall(client::getTwin);
    return toJson(twin.getDesiredProperties());
  }

  @Override
  public void reportProperties(ObjectNode patch) throws Exception {
    Map<String, Object> values = JSON.convertValue(patch, new TypeReference<LinkedHashMap<String, Object>>() {});
    TwinCollection reported = new TwinCollection();
    values.forEach(reported::put);
    twinCall(timeout -> client.updateReportedProperties(reported, timeout));
  }

  /** One attempt of a twin call, given its timeout in milliseconds. */
  @FunctionalInterface
  private interface TwinCall<T> {
    T call(int timeoutMillis) throws Exception;
  }

  /**
   * Runs a twin call, asking again when an attempt times out: SDK 2.5.0 can lose the answer to a twin request when
   * its receive thread handles the response before the request's correlation entry is looked up
   * (azure-iot-sdk-java#1803; {@code AzureModuleTransport} does the same). A GET and a reported patch may be
   * repeated without changing the result.
   */
  private static <T> T twinCall(TwinCall<T> call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call(TWIN_ATTEMPT_MILLIS);
      } catch (IotHubClientException e) {
        if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == TWIN_ATTEMPTS) {
          throw e;
        }
        LOG.warn("No answer to a twin request within {} ms (attempt {}); asking again (azure-iot-sdk-java#1803)",
            TWIN_ATTEMPT_MILLIS, attempt);
      }
    }
  }

  @Override
  public List<ObjectNode> desiredPatches() {
    return List.copyOf(desiredPatches);
  }

  @Override
  public boolean connected() {
    return status == IotHubConnectionStatus.CONNECTED;
  }

  /** Every status the SDK reported, oldest first. */
  List<IotHubConnectionStatus> statuses() {
    return List.copyOf(statuses);
  }

  @Override
  public void close() {
    client.close();
  }

  static ObjectNode toJson(TwinCollection collection) {
    ObjectNode node = (ObjectNode) readTree(JSON.valueToTree(new LinkedHashMap<>(collection)).toString());
    if (collection.getVersion() != null) {
      node.put("$version", collection.getVersion().intValue());
    }
    return node;
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  /** The SDK's status code of a refused open, for the authentication tests. */
  static IotHubClientException openFailure(ModuleClient client) {
    try {
      client.open(false);
    } catch (IotHubClientException e) {
      return e;
    } finally {
      client.close();
    }
    throw new AssertionError("the SDK connected although the credentials are wrong");
  }
}
