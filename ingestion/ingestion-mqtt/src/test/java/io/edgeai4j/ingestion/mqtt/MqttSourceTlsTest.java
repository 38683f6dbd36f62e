package io.edgeai4j.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext.StateChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The source over TLS against the embedded broker: the broker's certificate and the client's are signed by a
 * private CA made in the test; the broker's names only {@code localhost} and the broker requires a client
 * certificate of that CA.
 */
class MqttSourceTlsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  static Path pki;

  private static EmbeddedBroker broker;
  private static Path caFile;
  private static TestPki.Files client;
  private static TestPki.Files intruder;

  @TempDir
  Path stateDirectory;

  private final MqttSourceProvider provider = new MqttSourceProvider();
  private final List<SensorSource> sources = new ArrayList<>();

  @BeforeAll
  static void startBrokerWithTls() throws Exception {
    TestPki.Issued ca = TestPki.ca("edgeai4j test CA");
    TestPki.Issued brokerCertificate = TestPki.signedBy(ca, "broker", "localhost");
    caFile = Files.writeString(pki.resolve("ca.pem"), TestPki.pem("CERTIFICATE", ca.certificate().getEncoded()));
    client = TestPki.signedBy(ca, "press-gateway").written(pki, "client");
    intruder = TestPki.signedBy(TestPki.ca("another CA"), "intruder").written(pki, "intruder");
    broker = new EmbeddedBroker().withTls(brokerCertificate.keys().getPrivate(),
        new X509Certificate[] {brokerCertificate.certificate()}, ca.certificate()).start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @AfterEach
  void closeSources() {
    sources.forEach(SensorSource::close);
  }

  @Test
  void aClientCertificateOfThePrivateCaConnectsOverTlsAndReadingsFlow() throws Exception {
    RecordingSourceContext context = new RecordingSourceContext("tls", stateDirectory);
    start(settings("localhost", client, true, null), context);
    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.CONNECTED);
    assertThat(context.states().get(context.states().size() - 1).detail())
        .startsWith("connected to ssl://localhost:" + broker.tlsPort());

    broker.publish("plant/press", "{\"p\": 4.25}", 1);

    await().atMost(PATIENCE).until(() -> context.readings("pressure").size() == 1);
    assertThat(context.readings("pressure").get(0).value()).isEqualTo(4.25);
  }

  /**
   * Each row: the host the source connects to, its client certificate (none, client, intruder), whether it
   * names the private CA, verifyHostname (blank: the default), and the outcome: CONNECTED, or a part of the
   * DISCONNECTED detail.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a client certificate signed by another CA is refused  | localhost | intruder | true  |       | SSLHandshakeException: Received fatal alert: bad_certificate
      no client certificate is refused                      | localhost | none     | true  |       | SSLHandshakeException: Received fatal alert: bad_certificate
      a wrong host name is refused                          | 127.0.0.1 | client   | true  |       | No subject alternative names matching IP address 127.0.0.1 found
      a wrong host name is refused with verifyHostname true | 127.0.0.1 | client   | true  | true  | No subject alternative names matching IP address 127.0.0.1 found
      the private CA is not in the JVM's trust store        | localhost | client   | false |       | PKIX path building failed
      verifyHostname false accepts the wrong host name      | 127.0.0.1 | client   | true  | false | CONNECTED
      """)
  void tlsRefusesWhatItMust(String description, String host, String clientCertificate, boolean privateCa,
      Boolean verifyHostname, String outcome) throws Exception {
    TestPki.Files files = switch (clientCertificate) {
      case "client" -> client;
      case "intruder" -> intruder;
      default -> null;
    };
    RecordingSourceContext context = new RecordingSourceContext("tls", stateDirectory);
    start(settings(host, files, privateCa, verifyHostname), context);

    if (outcome.equals("CONNECTED")) {
      await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.CONNECTED);
      return;
    }
    StateChange refused = await().atMost(PATIENCE).until(() -> context.states().stream()
        .filter(change -> change.state() == SourceState.DISCONNECTED).findFirst().orElse(null), c -> c != null);
    assertThat(refused.detail()).startsWith("cannot connect to ssl://" + host + ":" + broker.tlsPort());
    assertThat(refused.detail()).contains(outcome);
    // Retries (every 100 ms here) keep failing: the source never gets through.
    await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    assertThat(context.states()).extracting(StateChange::state).doesNotContain(SourceState.CONNECTED);
  }

  @Test
  void anUnusableKeyFileIsReportedByNameAndRetried() throws Exception {
    Path pkcs1 = Files.writeString(stateDirectory.resolve("pkcs1.key"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    RecordingSourceContext context = new RecordingSourceContext("tls", stateDirectory);
    ObjectNode settings = settings("localhost", client, true, null);
    settings.put("keyFile", pkcs1.toString());
    start(settings, context);

    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    assertThat(context.states().get(context.states().size() - 1).detail()).isEqualTo("cannot connect to ssl://localhost:"
        + broker.tlsPort() + " as edgeai4j-tls: keyFile " + pkcs1 + ": holds a RSA PRIVATE KEY block; expected an"
        + " unencrypted PKCS#8 -----BEGIN PRIVATE KEY----- block (convert it with `openssl pkcs8 -topk8 -nocrypt -in"
        + " <key> -out <key>.pk8`)");

    // A key of another certificate.
    sources.forEach(SensorSource::close);
    RecordingSourceContext other = new RecordingSourceContext("tls2", stateDirectory);
    settings.put("keyFile", intruder.key().toString());
    start(settings, other);
    await().atMost(PATIENCE).until(() -> other.lastState() == SourceState.DISCONNECTED);
    assertThat(other.states().get(other.states().size() - 1).detail()).contains("keyFile " + intruder.key()
        + ": the private key does not belong to certFile's certificate CN=press-gateway");
  }

  private void start(ObjectNode settings, RecordingSourceContext context) throws Exception {
    SensorSource source = provider.create(provider.parse(settings), context);
    sources.add(source);
    source.start();
  }

  private static ObjectNode settings(String host, TestPki.Files files, boolean privateCa, Boolean verifyHostname)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode settings = json.createObjectNode();
    settings.put("brokerUri", "ssl://" + host + ":" + broker.tlsPort());
    settings.put("connectTimeoutMillis", 5000);
    settings.put("maxReconnectDelayMillis", 100);
    if (privateCa) {
      settings.put("caFile", caFile.toString());
    }
    if (files != null) {
      settings.put("certFile", files.certificate().toString());
      settings.put("keyFile", files.key().toString());
    }
    if (verifyHostname != null) {
      settings.put("verifyHostname", verifyHostname);
    }
    settings.set("subscriptions", json.readTree("""
        {"press": {"topic": "plant/press", "fields": {"pressure": {"path": "/p", "unit": "bar"}}}}"""));
    return settings;
  }
}
