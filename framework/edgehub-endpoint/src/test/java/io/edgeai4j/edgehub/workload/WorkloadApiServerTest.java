package io.edgeai4j.edgehub.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.hsm.HttpHsmSignatureProvider;
import com.microsoft.azure.sdk.iot.device.hsm.HttpsHsmClient;
import com.microsoft.azure.sdk.iot.device.hsm.IotHubSasTokenHsmAuthenticationProvider;
import com.microsoft.azure.sdk.iot.device.hsm.parser.SignRequest;
import com.microsoft.azure.sdk.iot.device.transport.TransportException;
import com.microsoft.azure.sdk.iot.device.transport.https.exceptions.HubOrDeviceIdNotFoundException;
import io.edgeai4j.edgehub.identity.AuthResult;
import io.edgeai4j.edgehub.identity.ConnectAuthenticator;
import io.edgeai4j.edgehub.identity.EdgeCertificates;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import io.edgeai4j.edgehub.identity.SasTokens;
import io.edgeai4j.module.ModuleIdentity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIGN = "/modules/sensor/genid/g1/sign?api-version=2018-06-28";
  private static final String DATA = Base64.getEncoder().encodeToString(
      "hub.local%2Fdevices%2Fedge-1%2Fmodules%2Fsensor\n1800000000".getBytes(StandardCharsets.UTF_8));
  private static final String BODY = "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"" + DATA + "\"}";

  @TempDir
  Path dir;

  private ModuleKeys keys;
  private EdgeCertificates certificates;
  private WorkloadApiServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    keys = ModuleKeys.open(dir.resolve("module-keys.json"), "edge-1", List.of("sensor", "filter", "temp+sensor"));
    certificates = EdgeCertificates.loadOrCreate(dir.resolve("pki"), "edge-1", List.of(), Clock.systemUTC());
    server = WorkloadApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), keys,
        certificates);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void listensOnLoopbackAtTheUriModulesAreGiven() {
    assertThat(server.port()).isPositive();
    assertThat(server.uri()).isEqualTo(URI.create("http://localhost:" + server.port() + "/"));
  }

  @Test
  void signAnswersTheHmacOfTheDataWithTheModulesKey() throws Exception {
    HttpResponse<String> response = send("POST", SIGN, BODY);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(JSON.readTree(response.body()).get("digest").asText())
        .isEqualTo(SasTokens.sign(keys.key("sensor"), Base64.getDecoder().decode(DATA)))
        .isNotEqualTo(SasTokens.sign(keys.key("filter"), Base64.getDecoder().decode(DATA)));
  }

  @Test
  void trustBundleAnswersThePemOfTheCa() throws Exception {
    HttpResponse<String> response = send("GET", "/trust-bundle?api-version=2018-06-28", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("certificate").asText())
        .isEqualTo(certificates.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "POST | /modules/camera/genid/g1/sign?api-version=2018-06-28 | BODY | 404"
          + " | Module 'camera' not found; expected one of [filter, sensor, temp+sensor]",
      "POST | " + SIGN + " | not json | 400 | Request body is not JSON",
      "POST | " + SIGN + " | [1] | 400 | Request body is a JSON array, not an object; expected "
          + "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"<base64>\"}",
      "POST | " + SIGN + " | `` | 400 | Request body is empty, not an object",
      "POST | " + SIGN + " | {\"keyId\":\"primary\",\"algo\":\"HMACSHA256\"} | 400 | Request has no \"data\"",
      "POST | " + SIGN + " | {\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":7} | 400"
          + " | Request has a non-text \"data\"",
      "POST | " + SIGN + " | {\"keyId\":\"secondary\",\"algo\":\"HMACSHA256\",\"data\":\"AA==\"} | 400"
          + " | Unsupported keyId 'secondary'; expected \"primary\"",
      "POST | " + SIGN + " | {\"keyId\":\"primary\",\"algo\":\"HMACSHA1\",\"data\":\"AA==\"} | 400"
          + " | Unsupported algo 'HMACSHA1'; expected \"HMACSHA256\"",
      "POST | " + SIGN + " | {\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"!!\"} | 400"
          + " | \"data\" is not base64",
      "POST | " + SIGN + " | BIG | 413 | Request body is over 65536 bytes",
      "POST | /modules/sensor/genid/g1/sign | BODY | 400 | Missing api-version; expected api-version=2018-06-28",
      "POST | /modules/sensor/genid/g1/sign?api-version=2020-07-07 | BODY | 400"
          + " | Unsupported api-version '2020-07-07'; expected api-version=2018-06-28",
      "GET  | " + SIGN + " | `` | 405 | Method GET is not allowed on /modules/sensor/genid/g1/sign; expected POST",
      "POST | /trust-bundle?api-version=2018-06-28 | BODY | 405"
          + " | Method POST is not allowed on /trust-bundle; expected GET",
      "GET  | /trust-bundle | `` | 400 | Missing api-version; expected api-version=2018-06-28",
      "GET  | /trust-bundle?api-version=1 | `` | 400 | Unsupported api-version '1'",
      "GET  | /identities?api-version=2018-06-28 | `` | 404 | No resource /identities; expected POST"
          + " /modules/{moduleId}/genid/{generationId}/sign or GET /trust-bundle",
      "POST | /modules/sensor/genid/g1/encrypt?api-version=2018-06-28 | BODY | 404 | No resource",
  })
  void errorsAnswerEdgeletsShapeNamingWhatWasFoundAndExpected(String method, String path, String body, int status,
      String message) throws Exception {
    String payload = switch (body) {
      case "BODY" -> BODY;
      case "BIG" -> "{\"data\":\"" + "A".repeat(70_000) + "\"}";
      default -> body;
    };

    HttpResponse<String> response = send(method, path, method.equals("GET") ? null : payload);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.fieldNames()).toIterable().containsExactly("message");
    assertThat(error.get("message").asText()).contains(message);
    if (status == 405) {
      assertThat(response.headers().firstValue("Allow")).isPresent();
    }
  }

  @Test
  void theSdksOwnWorkloadClientSignsAndGetsTheTrustBundle() throws Exception {
    HttpsHsmClient client = new HttpsHsmClient(server.uri().toString(), null);
    byte[] data = "hub.local/devices/edge-1/modules/temp+sensor\n1800000000".getBytes(StandardCharsets.UTF_8);
    SignRequest request = new SignRequest();
    request.setKeyId("primary");
    request.setAlgo(Mac.getInstance("HmacSHA256"));
    request.setData(data);

    // sign(apiVersion, moduleId, request, generationId); the SDK URL-encodes the module id ("+" as %2B).
    String digest = client.sign("2018-06-28", "temp+sensor", request, "gen-7").getDigest();

    assertThat(digest).isEqualTo(SasTokens.sign(keys.key("temp+sensor"), data));
    assertThat(client.getTrustBundle("2018-06-28").getCertificates()).isEqualTo(certificates.caCertificatePem());
    // The SDK reports the status only (it reads no body of an error answer).
    assertThatThrownBy(() -> client.sign("2018-06-28", "camera", request, "gen-7"))
        .isInstanceOf(HubOrDeviceIdNotFoundException.class).hasMessageContaining("status code 404");
  }

  @Test
  void aTokenTheSdkSignsThroughTheWorkloadApiIsAcceptedForThatModuleOnly() throws Exception {
    // ModuleClient.createFromEnvironment's path: HttpHsmSignatureProvider(IOTEDGE_WORKLOADURI, api version), then
    // IotHubSasTokenHsmAuthenticationProvider.create(provider, deviceId, moduleId, hubHost, gatewayHost, genId, ...).
    HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(server.uri().toString(), "2018-06-28", null);
    IotHubSasTokenHsmAuthenticationProvider sdk = IotHubSasTokenHsmAuthenticationProvider.create(signer, "edge-1",
        "sensor", "hub.local", "localhost", "gen-1", 3600, 85);
    byte[] token = new String(sdk.getSasToken()).getBytes(StandardCharsets.UTF_8);
    ConnectAuthenticator authenticator = new ConnectAuthenticator(keys, "hub.local", Set.of("localhost"),
        Clock.systemUTC());

    AuthResult result = authenticator.authenticate("edge-1/sensor", "hub.local/edge-1/sensor/?api-version=2020-09-30",
        token);

    assertThat(result).isInstanceOfSatisfying(AuthResult.Accepted.class,
        accepted -> assertThat(accepted.identity()).isEqualTo(new ModuleIdentity("edge-1", "sensor")));
    assertThat(authenticator.authenticate("edge-1/filter", "hub.local/edge-1/filter/?api-version=2020-09-30", token))
        .isInstanceOf(AuthResult.Refused.class);
  }

  @Test
  void closeIsIdempotentAndStopsListening() {
    server.close();
    server.close();

    assertThatThrownBy(() -> send("GET", "/trust-bundle?api-version=2018-06-28", null))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> new HttpsHsmClient(server.uri().toString(), null).getTrustBundle("2018-06-28"))
        .isInstanceOf(TransportException.class);
  }

  private HttpResponse<String> send(String method, String pathAndQuery, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(pathAndQuery.substring(1)))
        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
