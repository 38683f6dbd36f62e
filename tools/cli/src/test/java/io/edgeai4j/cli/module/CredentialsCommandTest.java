package io.edgeai4j.cli.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.IotHubConnectionString;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.edgehub.identity.AuthResult;
import io.edgeai4j.edgehub.identity.ConnectAuthenticator;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import io.edgeai4j.edgehub.identity.SasTokens;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge module credentials}: real key files and certificates in a temporary state directory. */
class CredentialsCommandTest {
  private static final String MANIFEST = "../../deployment-manifests/local-pipeline.json";

  @TempDir Path dir;

  private CliRun credentials(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("module", "credentials"));
    args.addAll(List.of(more));
    args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static Map<String, String> lines(String out) {
    Map<String, String> values = new LinkedHashMap<>();
    out.lines().forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return values;
  }

  @Test
  void printsTheConnectionStringAndCaFileThatTheEndpointAccepts() throws Exception {
    CliRun run = credentials("filter", "--manifest", MANIFEST);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(2);
    Map<String, String> values = lines(run.out());
    assertThat(values).containsOnlyKeys("EdgeHubConnectionString", "EdgeModuleCACertificateFile");
    String connectionString = values.get("EdgeHubConnectionString");
    assertThat(connectionString).matches("HostName=iothub\\.localhost;GatewayHostName=localhost;DeviceId=local-edge-device;"
        + "ModuleId=filter;SharedAccessKey=[A-Za-z0-9+/]{43}=");

    // The Azure IoT SDK reads it as a module's connection string through a gateway.
    IotHubConnectionString parsed = new IotHubConnectionString(connectionString);
    assertThat(parsed.getModuleId()).isEqualTo("filter");
    assertThat(parsed.getDeviceId()).isEqualTo("local-edge-device");
    assertThat(parsed.getGatewayHostName()).isEqualTo("localhost");
    assertThat(parsed.getHostName()).isEqualTo("iothub.localhost");

    // A SAS token signed with the printed key passes the endpoint's authentication; one with another key does not.
    byte[] key = Base64.getDecoder().decode(connectionString.substring(connectionString.indexOf("SharedAccessKey=")
        + "SharedAccessKey=".length()));
    ModuleKeys keys = ModuleKeys.open(dir.resolve("state/module-keys.json"), "local-edge-device",
        List.of("sensor", "filter", "ingestion", "bearingAlarm"));
    ConnectAuthenticator authenticator = new ConnectAuthenticator(keys, "iothub.localhost", Set.of("localhost"),
        Clock.systemUTC());
    String audience = "iothub.localhost/devices/local-edge-device/modules/filter";
    String username = "iothub.localhost/local-edge-device/filter/?api-version=2020-09-30";
    Instant expiry = Instant.now().plusSeconds(3600);
    assertThat(authenticator.authenticate("local-edge-device/filter", username,
        SasTokens.create(key, audience, expiry).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AuthResult.Accepted.class);
    assertThat(authenticator.authenticate("local-edge-device/filter", username,
        SasTokens.create(new byte[32], audience, expiry).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AuthResult.Refused.class);
    // Every module of the manifest has a key (the external ones too), in the file edge run --mqtt reads.
    assertThat(new ObjectMapper().readTree(dir.resolve("state/module-keys.json").toFile()).path("modules")
        .fieldNames()).toIterable().containsExactlyInAnyOrder("sensor", "filter", "ingestion", "bearingAlarm");

    Path ca = Path.of(values.get("EdgeModuleCACertificateFile"));
    assertThat(ca).isAbsolute().hasFileName("edge-ca.pem").startsWith(dir.resolve("state/pki"));
    try (InputStream in = Files.newInputStream(ca)) {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      assertThat(certificate.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theSameValuesEveryTimeAndWithoutTheManifestOnceTheKeysExist() {
    CliRun first = credentials("sensor", "--manifest", MANIFEST);
    CliRun second = credentials("sensor", "--manifest", MANIFEST);
    CliRun withoutManifest = credentials("sensor");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(withoutManifest.exitCode()).as(withoutManifest.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(withoutManifest.out()).isEqualTo(first.out());
    assertThat(credentials("filter", "--manifest", MANIFEST).out()).isNotEqualTo(first.out());
  }

  @Test
  void otherGatewayAndHubNamesGoIntoTheConnectionString() {
    CliRun run = credentials("sensor", "--manifest", MANIFEST, "--gateway-host", "host.docker.internal",
        "--iothub-host", "myhub.azure-devices.net", "--device-id", "dev-7");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(lines(run.out()).get("EdgeHubConnectionString")).startsWith(
        "HostName=myhub.azure-devices.net;GatewayHostName=host.docker.internal;DeviceId=dev-7;ModuleId=sensor;");
  }

  @Test
  void jsonFormatHoldsTheSameTwoValues() throws Exception {
    CliRun env = credentials("sensor", "--manifest", MANIFEST);
    CliRun json = credentials("sensor", "--manifest", MANIFEST, "--format", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode node = new ObjectMapper().readTree(json.out());
    Map<String, String> values = lines(env.out());
    assertThat(node.get("EdgeHubConnectionString").asText()).isEqualTo(values.get("EdgeHubConnectionString"));
    assertThat(node.get("EdgeModuleCACertificateFile").asText()).isEqualTo(values.get("EdgeModuleCACertificateFile"));
  }

  @Test
  void anUnknownModuleIsAUsageErrorListingTheManifestsModules() {
    CliRun run = credentials("nobody", "--manifest", MANIFEST);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("edge module credentials: no module 'nobody' in " + MANIFEST
        + "; its modules are [bearingAlarm, filter, ingestion, sensor]\n");
  }

  @Test
  void withoutAManifestOrAKeyFileItSaysWhatToGive() {
    CliRun run = credentials("sensor");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no key file " + dir.resolve("state/module-keys.json").toAbsolutePath())
        .contains("give --manifest FILE");
  }

  @Test
  void aManifestThatIsNotThereExits66() {
    CliRun run = credentials("sensor", "--manifest", dir.resolve("absent.json").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
  }
}
