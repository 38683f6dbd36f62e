package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.DEVICE;
import static io.edgeai4j.edgehub.contract.ContractEdge.IOT_HUB;
import static io.edgeai4j.edgehub.contract.ContractEdge.RECEIVER;
import static io.edgeai4j.edgehub.contract.ContractEdge.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import io.edgeai4j.edgehub.identity.SasTokens;
import io.edgeai4j.module.spi.TransportException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials the endpoint must refuse, as edgeHub does: a wrong key, an expired token, a module the manifest does
 * not define, a client id that is not the username's module. Each refusal has a control: the same path with the
 * right value connects, so the refusal is the endpoint's answer to that one value. The SDK reports a refused
 * CONNECT as {@code UNAUTHORIZED}; raw Paho shows the CONNACK code.
 */
class AuthenticationContractTest extends ContractEdgeTestBase {
  private static final String API = "?api-version=2020-09-30";

  @ParameterizedTest
  @EnumSource(ClientKind.class)
  void aWrongKeyIsRefusedAsUnauthorized(ClientKind kind) throws Exception {
    Map<String, String> environment = new HashMap<>(edge.connectionEnvironment(SENDER));
    String right = edge.endpoint().keys().keyBase64(SENDER);
    String connectionString = environment.get("EdgeHubConnectionString");
    assertThat(connectionString).contains("SharedAccessKey=" + right);
    environment.put("EdgeHubConnectionString", connectionString.replace(right, randomKey()));

    if (kind == ClientKind.SDK) {
      IotHubClientException refusal = SdkContractClient.openFailure(
          SdkContractClient.create(environment, ClientOptions.builder()));
      assertThat(refusal.getStatusCode()).as(refusal.toString()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
    } else {
      assertThatThrownBy(() -> kind.connect(environment).close())
          .isInstanceOf(TransportException.class)
          .satisfies(e -> assertThat(((TransportException) e).isRetryable()).as("refused for good: " + e).isFalse());
    }
    try (ContractClient control = kind.connect(edge.connectionEnvironment(SENDER))) {
      await().atMost(Duration.ofSeconds(10)).until(control::connected);
    }
  }

  @Test
  void anExpiredTokenIsRefusedAsNotAuthorized() throws Exception {
    // The SDK checks a SAS token's expiry itself and would not send an expired one: raw Paho sends it.
    byte[] key = edge.endpoint().keys().key(SENDER);
    String audience = IOT_HUB + "/devices/" + DEVICE + "/modules/" + SENDER;
    String username = IOT_HUB + "/" + DEVICE + "/" + SENDER + "/" + API;

    MqttException refusal = rawConnectFailure(DEVICE + "/" + SENDER, username,
        SasTokens.create(key, audience, Instant.now().minusSeconds(60)));

    assertThat(refusal.getReasonCode()).as(refusal.toString()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    rawConnect(DEVICE + "/" + SENDER, username, SasTokens.create(key, audience, Instant.now().plusSeconds(600)));
  }

  @Test
  void aModuleTheManifestDoesNotDefineIsRefusedAsUnauthorized() throws Exception {
    Map<String, String> environment = new HashMap<>(edge.connectionEnvironment(SENDER));
    String connectionString = environment.get("EdgeHubConnectionString");
    assertThat(connectionString).contains("ModuleId=" + SENDER + ";");
    environment.put("EdgeHubConnectionString", connectionString.replace("ModuleId=" + SENDER + ";", "ModuleId=ghost;")
        .replace(edge.endpoint().keys().keyBase64(SENDER), randomKey()));

    IotHubClientException refusal = SdkContractClient.openFailure(
        SdkContractClient.create(environment, ClientOptions.builder()));

    assertThat(refusal.getStatusCode()).as(refusal.toString()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
  }

  @Test
  void aClientIdThatIsNotTheUsernamesModuleIsRejected() throws Exception {
    // The SDK cannot send a client id other than {device}/{module}; raw Paho can.
    byte[] key = edge.endpoint().keys().key(SENDER);
    String token = SasTokens.create(key, IOT_HUB + "/devices/" + DEVICE + "/modules/" + SENDER,
        Instant.now().plusSeconds(600));
    String username = IOT_HUB + "/" + DEVICE + "/" + SENDER + "/" + API;

    MqttException refusal = rawConnectFailure(DEVICE + "/" + RECEIVER, username, token);

    assertThat(refusal.getReasonCode()).as(refusal.toString()).isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
    rawConnect(DEVICE + "/" + SENDER, username, token);
  }

  private void rawConnect(String clientId, String username, String password) throws Exception {
    MqttClient control = rawClient(clientId);
    try {
      control.connect(rawOptions(username, password));
      assertThat(control.isConnected()).isTrue();
      control.disconnect();
    } finally {
      control.close();
    }
  }

  private MqttException rawConnectFailure(String clientId, String username, String password) throws Exception {
    MqttClient client = rawClient(clientId);
    try {
      client.connect(rawOptions(username, password));
      client.disconnect();
    } catch (MqttException e) {
      return e;
    } finally {
      client.close();
    }
    throw new AssertionError("the endpoint accepted client id " + clientId + " with username " + username);
  }

  private static MqttClient rawClient(String clientId) throws MqttException {
    return new MqttClient("ssl://localhost:" + ContractEdge.SDK_PORT, clientId, new MemoryPersistence());
  }

  private MqttConnectOptions rawOptions(String username, String password) throws Exception {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setUserName(username);
    options.setPassword(password.toCharArray());
    options.setConnectionTimeout(10);
    options.setSocketFactory(IotHubSSLContext.getSSLContextFromFile(
        edge.endpoint().certificates().caCertificateFile().toString()).getSocketFactory());
    return options;
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
