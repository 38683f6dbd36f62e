package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.module.ConnectionStatus;
import io.edgeai4j.module.EdgeMessage;
import io.edgeai4j.module.ModuleIdentity;
import io.edgeai4j.module.spi.ModuleTransport;
import io.edgeai4j.module.spi.TransportException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production path end to end: {@code ModuleClient.createFromEnvironment} with the {@code IOTEDGE_*}
 * variables, the workload API on a unix socket reached through {@link JdkUnixDomainSocketChannel} (trust
 * bundle and SAS-token signing), and MQTT over TLS to the fake edgeHub.
 *
 * <p>The SDK reads {@code System.getenv()}, which a JVM cannot change for itself, so the build runs this
 * class in its own Surefire execution, {@code edge-runtime-environment} in this module's pom, which sets the
 * variables (and the default execution leaves it out).
 */
class EdgeRuntimeEnvironmentTest {
  static final byte[] MODULE_KEY = "edge-runtime-module-key-0123456".getBytes(StandardCharsets.US_ASCII);

  @Test
  void createFromEnvironmentSignsWithTheWorkloadApiAndConnects() throws Exception {
    Map<String, String> env = System.getenv();
    String workloadUri = requireWorkloadUri();
    String device = env.get("IOTEDGE_DEVICEID");
    String module = env.get("IOTEDGE_MODULEID");
    String hub = env.get("IOTEDGE_IOTHUBHOSTNAME");
    Path socket = Path.of(URI.create(workloadUri).getPath());
    TestPki pki = TestPki.create();
    AzureTransportProvider provider = new AzureTransportProvider(AzureModuleTransportTest.testOptions());
    assertThat(provider.unavailableReason(env)).isNull();

    try (WorkloadApiServer workload = WorkloadApiServer.start(socket, MODULE_KEY, pki.caPem());
        FakeEdgeHub edgeHub = new FakeEdgeHub(pki).start()) {
      ModuleTransport transport = provider.create(env);
      try {
        RecordingListener listener = new RecordingListener();
        transport.open(listener);
        assertThat(transport.identity()).isEqualTo(new ModuleIdentity(device, module));
        assertThat(listener.lastStatus()).isEqualTo(ConnectionStatus.CONNECTED);

        transport.send("out", EdgeMessage.json("{\"test\":\"from-edge-runtime\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> edgeHub.events(device, module).stream()
            .anyMatch(e -> e.text().contains("from-edge-runtime")));
        assertThat(FakeEdgeHub.wireProperties(edgeHub.events(device, module).get(0).topic()))
            .containsEntry("$.on", "out").containsEntry("$.ct", "application%2Fjson").containsEntry("$.ce", "utf-8");

        // The trust bundle came from the workload API: the SDK had no other way to trust the test CA.
        assertThat(workload.requests).anySatisfy(r -> {
          assertThat(r.method()).isEqualTo("GET");
          assertThat(r.target()).isEqualTo("/trust-bundle?api-version=2018-06-28");
        });
        // The MQTT password is a SAS token whose signature the workload API computed over "sr\nse".
        FakeEdgeHub.Credentials credentials = edgeHub.connects.stream()
            .filter(c -> c.clientId().equals(device + "/" + module)).findFirst().orElseThrow();
        assertThat(credentials.username()).startsWith(hub + "/" + device + "/" + module + "/?api-version=2020-09-30&");
        Map<String, String> token = sasToken(credentials.password());
        assertThat(URLDecoder.decode(token.get("sr"), StandardCharsets.UTF_8))
            .isEqualTo(hub + "/devices/" + device + "/modules/" + module);
        // The workload API signed for this module and generation, and the token's signature is valid for the
        // key the workload API holds: HMAC-SHA256 over "sr\nse".
        assertThat(workload.signings).isNotEmpty().allSatisfy(signing -> {
          assertThat(signing.module()).isEqualTo(module);
          assertThat(signing.generationId()).isEqualTo(env.get("IOTEDGE_MODULEGENERATIONID"));
          assertThat(signing.data()).startsWith(token.get("sr") + "\n");
        });
        assertThat(URLDecoder.decode(token.get("sig"), StandardCharsets.UTF_8)).isEqualTo(WorkloadApiServer.hmac(
            MODULE_KEY, (token.get("sr") + "\n" + token.get("se")).getBytes(StandardCharsets.UTF_8)));
      } finally {
        transport.close();
      }
    }
  }

  @Test
  void unreachableWorkloadApiIsARetryableFailureNamingTheUri() throws Exception {
    String workloadUri = requireWorkloadUri();
    Files.deleteIfExists(Path.of(URI.create(workloadUri).getPath()));

    assertThatThrownBy(() -> new AzureTransportProvider().create(System.getenv()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("workload API " + workloadUri)
        .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
  }

  private static String requireWorkloadUri() {
    String workloadUri = System.getenv("IOTEDGE_WORKLOADURI");
    if (workloadUri == null || !workloadUri.startsWith("unix://")) {
      fail("IOTEDGE_WORKLOADURI is " + workloadUri + "; run this test through Maven, whose edge-runtime-environment"
          + " execution sets the IoT Edge variables");
    }
    return workloadUri;
  }

  private static Map<String, String> sasToken(String password) {
    assertThat(password).startsWith("SharedAccessSignature ");
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : password.substring("SharedAccessSignature ".length()).split("&")) {
      int equals = pair.indexOf('=');
      fields.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return fields;
  }
}
