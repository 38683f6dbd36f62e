package io.edgeai4j.cli.model;

import io.edgeai4j.cli.CliRun;
import static io.edgeai4j.cli.model.FakeAzure.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * edge model publish against loopback servers that record the requests the Azure SDKs make: a storage account (plain
 * HTTP, as Azurite) and an IoT Hub (HTTPS with a self-signed certificate the SDK's connections are made to trust).
 */
class PublishServicesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_VERSION = "2021-04-12";

  private static TestTls tls;
  private static SSLSocketFactory previousFactory;

  @TempDir Path root;
  private FakeAzure storage;
  private FakeAzure hub;
  private Path modelDir;

  @BeforeAll
  static void trustTheFakeHub() throws Exception {
    tls = TestTls.forLoopback();
    previousFactory = tls.trustForHttpsUrlConnections();
  }

  @AfterAll
  static void restoreTrust() {
    TestTls.restore(previousFactory);
  }

  @BeforeEach
  void start() throws Exception {
    storage = FakeAzure.http(PublishServicesTest::storageAnswer);
    hub = FakeAzure.https(tls, PublishServicesTest::hubAnswer);
    modelDir = TestModels.versionDir(root.resolve("repo"), "fault-classifier", 3, true);
  }

  @AfterEach
  void stop() {
    storage.close();
    hub.close();
  }

  static MockResponse storageAnswer(RecordedRequest request) {
    return respond(201, "", "ETag", "\"0x8DD\"", "Last-Modified", "Fri, 28 Nov 2025 08:00:00 GMT",
        "x-ms-version", "2025-01-05", "x-ms-request-server-encrypted", "true");
  }

  static MockResponse hubAnswer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.startsWith("/twins/")) {
      return respond(200, """
          {"deviceId": "dev-1", "moduleId": "model-update", "etag": "AAAAAAAAAAE=", "version": 4,
           "properties": {"desired": {"$version": 7}, "reported": {"$version": 1}}}""",
          "Content-Type", "application/json");
    }
    return respond(200, request.getBody().utf8(), "Content-Type", "application/json");
  }

  private CliRun publish(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("model", "publish", "--model-dir", modelDir.toString(),
        "--hub-connection-string", hub.hubConnectionString(), "--timeout", "20s"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void uploadsThePackageSignsTheReleaseAndPatchesTheModuleTwin() throws Exception {
    CliRun keygen = CliRun.of("model", "keygen", "--algorithm", "ed25519", "--out", root.resolve("keys").toString());
    assertThat(keygen.exitCode()).isZero();

    CliRun run = publish("--storage-connection-string", storage.storageConnectionString(), "--device", "dev-1",
        "--signing-key", root.resolve("keys/signing-key.pem").toString(), "--sas-expiry", "30d");

    assertThat(run.exitCode()).as(run.err()).isZero();
    byte[] expected = TestModels.packageBytes(modelDir, root);
    String sha256 = hex(MessageDigest.getInstance("SHA-256").digest(expected));

    // The storage account: the container, then the blob, nothing else.
    assertThat(storage.requests).hasSize(2);
    RecordedRequest container = storage.requests.get(0);
    assertThat(container.getMethod()).isEqualTo("PUT");
    assertThat(container.getUrl().encodedPath()).isEqualTo("/devstoreaccount1/models");
    assertThat(container.getUrl().queryParameter("restype")).isEqualTo("container");
    RecordedRequest blob = storage.requests.get(1);
    assertThat(blob.getMethod()).isEqualTo("PUT");
    // The SDK escapes the blob name's '/' as %2F; the service (and Azurite) decode it: the blob's name has slashes.
    assertThat(decodedPath(blob)).isEqualTo("/devstoreaccount1/models/fault-classifier/3/package.zip");
    assertThat(blob.getBody().toByteArray()).isEqualTo(expected);
    assertThat(blob.getHeaders().get("x-ms-blob-type")).isEqualTo("BlockBlob");
    assertThat(blob.getHeaders().get("If-None-Match")).isEqualTo("*");
    assertThat(blob.getHeaders().get("Content-MD5"))
        .isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(expected)));
    assertThat(blob.getHeaders().get("x-ms-blob-content-type")).isEqualTo("application/zip");
    assertThat(blob.getHeaders().get("Authorization")).startsWith("SharedKey devstoreaccount1:");

    // The module twin patch: the SDK sends PATCH as POST with an override header.
    assertThat(hub.requests).hasSize(1);
    RecordedRequest patch = hub.requests.get(0);
    assertThat(patch.getMethod()).isEqualTo("POST");
    assertThat(patch.getHeaders().get("X-HTTP-Method-Override")).isEqualTo("PATCH");
    assertThat(patch.getUrl().encodedPath()).isEqualTo("/twins/dev-1/modules/model-update");
    assertThat(patch.getUrl().queryParameter("api-version")).isEqualTo(API_VERSION);
    assertThat(patch.getHeaders().get("Content-Type")).startsWith("application/json");
    assertServiceSas(patch.getHeaders().get("Authorization"));
    JsonNode body = JSON.readTree(patch.getBody().utf8());
    JsonNode sent = body.path("properties").path("desired").path("models").path("fault-classifier");
    assertThat(body.path("properties").path("desired").size()).isEqualTo(1);
    assertThat(sent.path("sha256").asText()).isEqualTo(sha256);
    assertThat(sent.path("size").asLong()).isEqualTo(expected.length);
    assertThat(sent.path("version").asLong()).isEqualTo(3);

    // The release's uri: the blob's read-only SAS URL, signed for 30 days.
    URI uri = URI.create(sent.path("uri").asText());
    assertThat(uri.getScheme() + "://" + uri.getAuthority() + uri.getPath())
        .isEqualTo("http://127.0.0.1:" + storage.server.getPort() + "/devstoreaccount1/models/fault-classifier/3/package.zip");
    Map<String, String> sas = query(uri);
    assertThat(sas).containsEntry("sp", "r").containsEntry("sr", "b").containsKeys("sig", "sv", "se");
    assertThat(OffsetDateTime.parse(sas.get("se")).toEpochSecond())
        .isCloseTo(OffsetDateTime.now().plus(Duration.ofDays(30)).toEpochSecond(), within(120L));

    // The signature verifies with the public key over the statement (every field that decides what runs).
    ModelRelease release = ModelRelease.fromJson("fault-classifier", sent, "models.fault-classifier");
    ReleaseSignatures.verify(release,
        ReleaseSignatures.readPublicKey(Files.readString(root.resolve("keys/signing-key.pub.pem"))));

    // stdout shows the release with its SAS signature redacted; the twin patch above carries the real one.
    String rawSig = uri.getRawQuery().replaceAll(".*(?:^|&)sig=([^&]*).*", "$1");
    assertThat(Base64.getDecoder().decode(sas.get("sig"))).hasSize(32); // an HMAC-SHA256, not a placeholder
    assertThat(run.out())
        .contains("uploaded: container 'models', blob 'fault-classifier/3/package.zip', " + expected.length + " bytes")
        .contains("signature: Ed25519")
        .contains("sent: module twin of device 'dev-1', module 'model-update': desired properties patched"
            + " (desired version 7)")
        .contains("\"uri\" : \"" + uri.toString().replace("sig=" + rawSig, "sig=REDACTED") + "\"")
        .doesNotContain(rawSig)
        .doesNotContain(sas.get("sig"));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aGivenSasUrlIsSentWholeButPrintedWithoutItsSignature() throws Exception {
    String url = "https://acct.blob.core.windows.net/models/fc/3/package.zip?sv=2025-01-05&se=2030-01-01T00%3A00%3A00Z"
        + "&sr=b&sp=r&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

    CliRun device = publish("--url", url, "--device", "dev-1");
    CliRun fleet = publish("--url", url, "--target-condition", "tags.site='plant-7'");

    assertThat(device.exitCode()).as(device.err()).isZero();
    assertThat(fleet.exitCode()).as(fleet.err()).isZero();
    assertThat(hub.requests).hasSize(2);
    JsonNode patch = JSON.readTree(hub.requests.get(0).getBody().utf8());
    assertThat(patch.at("/properties/desired/models/fault-classifier/uri").asText()).isEqualTo(url);
    JsonNode deployment = JSON.readTree(hub.requests.get(1).getBody().utf8());
    assertThat(deployment.at("/content/modulesContent/model-update").path("properties.desired.models.fault-classifier")
        .path("uri").asText()).isEqualTo(url);
    String redacted = url.replace("sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D", "sig=REDACTED");
    for (CliRun run : List.of(device, fleet)) {
      assertThat(run.out()).contains("\"uri\" : \"" + redacted + "\"").doesNotContain("c2VjcmV0");
      assertThat(run.err()).doesNotContain("c2VjcmV0");
    }
  }

  @Test
  void aDryRunWithAStorageConnectionStringSignsNoSasAndSendsNothing() {
    CliRun run = publish("--storage-connection-string", storage.storageConnectionString(), "--device", "dev-1",
        "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\"uri\" : \"https://" + Publication.PLACEHOLDER_ACCOUNT
            + "/models/fault-classifier/3/package.zip?sas=made-at-upload\"")
        .contains("uri: a placeholder: the blob's read-only SAS URL is made at upload, valid for 30d")
        .doesNotContain("sig=")
        .doesNotContain("127.0.0.1:" + storage.server.getPort());
    assertThat(storage.requests).isEmpty();
    assertThat(hub.requests).isEmpty();
  }

  @Test
  void anExistingBlobIsNotOverwrittenAndNothingIsSent() {
    storage.answer = request -> request.getUrl().queryParameter("restype") != null
        ? respond(409, errorXml("ContainerAlreadyExists"), "x-ms-error-code", "ContainerAlreadyExists",
            "Content-Type", "application/xml")
        : respond(409, errorXml("BlobAlreadyExists"), "x-ms-error-code", "BlobAlreadyExists",
            "Content-Type", "application/xml");

    CliRun run = publish("--storage-connection-string", storage.storageConnectionString(), "--device", "dev-1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err()).contains("blob 'fault-classifier/3/package.zip' already exists in container 'models'")
        .contains("--overwrite");
    assertThat(storage.requests).hasSize(2);
    assertThat(hub.requests).isEmpty();
  }

  @Test
  void overwriteReplacesTheBlobUnconditionally() {
    CliRun run = publish("--storage-connection-string", storage.storageConnectionString(), "--device", "dev-1",
        "--overwrite", "--container", "fleet-models");

    assertThat(run.exitCode()).as(run.err()).isZero();
    RecordedRequest blob = storage.requests.get(1);
    assertThat(decodedPath(blob)).isEqualTo("/devstoreaccount1/fleet-models/fault-classifier/3/package.zip");
    assertThat(blob.getHeaders().get("If-None-Match")).isNull();
  }

  @Test
  void aFleetGetsALayeredDeploymentThatSetsOnlyThisModel() throws Exception {
    CliRun run = publish("--url", "https://models.example.com/fault-classifier/3/package.zip",
        "--target-condition", "tags.site='plant-7'", "--priority", "20");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(storage.requests).isEmpty();
    assertThat(hub.requests).hasSize(1);
    RecordedRequest put = hub.requests.get(0);
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().encodedPath()).isEqualTo("/configurations/model-fault-classifier-3");
    assertThat(put.getUrl().queryParameter("api-version")).isEqualTo(API_VERSION);
    assertServiceSas(put.getHeaders().get("Authorization"));
    JsonNode body = JSON.readTree(put.getBody().utf8());
    assertThat(body.path("id").asText()).isEqualTo("model-fault-classifier-3");
    assertThat(body.path("targetCondition").asText()).isEqualTo("tags.site='plant-7'");
    assertThat(body.path("priority").asInt()).isEqualTo(20);
    assertThat(body.path("labels").path("edgeai4j-model").asText()).isEqualTo("fault-classifier");
    JsonNode module = body.path("content").path("modulesContent").path("model-update");
    assertThat(iterableNames(module)).containsExactly("properties.desired.models.fault-classifier");
    JsonNode release = module.path("properties.desired.models.fault-classifier");
    assertThat(release.path("uri").asText()).isEqualTo("https://models.example.com/fault-classifier/3/package.zip");
    assertThat(release.path("version").isIntegralNumber()).isTrue();
    assertThat(release.path("size").isIntegralNumber()).isTrue();
    assertThat(body.path("content").path("modulesContent").size()).isEqualTo(1);
    // The rollout's metrics: devices that report version 3 targeted, downloaded, active, failed (RolloutMetrics).
    assertThat(JSON.convertValue(body.path("metrics").path("queries"), Map.class))
        .isEqualTo(RolloutMetrics.queries("model-update", "fault-classifier", 3));
    assertThat(run.out()).contains("sent: layered deployment 'model-fault-classifier-3' created (priority 20,"
        + " target condition tags.site='plant-7')");
  }

  @Test
  void aCanaryComesFirstWithTheNarrowerConditionAndAHigherPriority() throws Exception {
    CliRun run = publish("--url", "https://models.example.com/fc3.zip", "--target-condition", "tags.site='plant-7'",
        "--canary-condition", "tags.canary=true", "--deployment-id", "fc-3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(hub.requests).hasSize(1);
    RecordedRequest put = hub.requests.get(0);
    assertThat(put.getUrl().encodedPath()).isEqualTo("/configurations/fc-3-canary");
    JsonNode body = JSON.readTree(put.getBody().utf8());
    // A subset of the fleet: both conditions, each in parentheses (an OR in either stays inside its own).
    assertThat(body.path("targetCondition").asText()).isEqualTo("(tags.site='plant-7') AND (tags.canary=true)");
    assertThat(body.path("priority").asInt()).isEqualTo(11);
    assertThat(run.out()).contains("sent: layered deployment 'fc-3-canary' created (priority 11, target condition"
        + " (tags.site='plant-7') AND (tags.canary=true))");
    assertThat(run.out()).contains("canary: watch it with edge model status fault-classifier; widen it to"
        + " tags.site='plant-7' with edge model promote, or delete it with edge model abort");
  }

  @ParameterizedTest(name = "{0} answered {1} -> exit {2}")
  @CsvSource({
    "twin,       404, 65, not found on 127.0.0.1",
    "twin,       401, 78, unauthorized",
    "twin,       500, 70, the hub answered",
    "deployment, 409, 73, deployment 'model-fault-classifier-3' already exists",
    "deployment, 400, 70, the hub answered IotHubBadFormatException",
  })
  void hubRefusalsEndWithTheirExitCodes(String kind, int status, int exitCode, String message) {
    hub.answer = request -> respond(status, "{\"Message\":\"ErrorCode:Refused;test refusal\"}",
        "Content-Type", "application/json");
    String[] audience = kind.equals("twin") ? new String[] {"--device", "dev-1"}
        : new String[] {"--target-condition", "tags.site='plant-7'"};
    List<String> args = new java.util.ArrayList<>(List.of("--url", "https://models.example.com/fc3.zip"));
    args.addAll(List.of(audience));

    CliRun run = publish(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(hub.requests).hasSize(1);
  }

  @Test
  void anUnreachableHubIsUnavailable() throws Exception {
    String connection = hub.hubConnectionString();
    hub.close();

    CliRun run = CliRun.of("model", "publish", "--model-dir", modelDir.toString(), "--hub-connection-string",
        connection, "--url", "https://models.example.com/fc3.zip", "--device", "dev-1", "--timeout", "20s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("cannot reach 127.0.0.1:");
  }

  @Test
  void checkUrlComparesTheDownloadWithThePackage() throws Exception {
    byte[] expected = TestModels.packageBytes(modelDir, root);
    try (FakeAzure files = FakeAzure.http(request -> new MockResponse.Builder().code(200)
        .body(new okio.Buffer().write(expected)).build())) {
      String url = "http://127.0.0.1:" + files.server.getPort() + "/fc/3/package.zip";

      CliRun good = publish("--url", url, "--check-url", "--device", "dev-1");

      assertThat(good.exitCode()).as(good.err()).isZero();
      assertThat(good.out()).contains("checked: " + url + " holds the package");
      assertThat(hub.requests).hasSize(1);

      files.answer = request -> respond(200, "not the package");
      CliRun bad = publish("--url", url + "?sig=secret", "--check-url", "--device", "dev-1");

      assertThat(bad.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
      assertThat(bad.err()).contains("--check-url: " + url + "?...: expected the package (" + expected.length
          + " bytes").doesNotContain("secret");
      assertThat(hub.requests).hasSize(1);
    }
  }

  /** {@code SharedAccessSignature sr=<host>&sig=<HMAC-SHA256 of "sr\nse">&se=<epoch>&skn=<policy>}. */
  private static void assertServiceSas(String authorization) throws Exception {
    assertThat(authorization).matches("SharedAccessSignature sr=127\\.0\\.0\\.1&sig=[^&]+&se=\\d+&skn=iothubowner");
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : authorization.substring("SharedAccessSignature ".length()).split("&")) {
      parts.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
    }
    long expiry = Long.parseLong(parts.get("se"));
    assertThat(expiry).isBetween(System.currentTimeMillis() / 1000, System.currentTimeMillis() / 1000 + 3700);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(FakeAzure.HUB_KEY), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts.get("sr") + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
    assertThat(URLDecoder.decode(parts.get("sig"), StandardCharsets.UTF_8))
        .isEqualTo(Base64.getEncoder().encodeToString(expected));
    assertThat(parts.get("sr")).isEqualTo(URLEncoder.encode("127.0.0.1", StandardCharsets.UTF_8));
  }

  private static String decodedPath(RecordedRequest request) {
    return URLDecoder.decode(request.getUrl().encodedPath(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String part : uri.getRawQuery().split("&")) {
      parameters.put(part.substring(0, part.indexOf('=')),
          URLDecoder.decode(part.substring(part.indexOf('=') + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static List<String> iterableNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String errorXml(String code) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + code
        + "</Message></Error>";
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
