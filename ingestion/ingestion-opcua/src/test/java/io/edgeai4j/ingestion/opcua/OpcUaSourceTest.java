package io.edgeai4j.ingestion.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SensorSource;
import io.edgeai4j.ingestion.source.SettingsBinder;
import io.edgeai4j.ingestion.source.SourceState;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext;
import io.edgeai4j.ingestion.source.testing.RecordingSourceContext.StateChange;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OPC UA source against a real Milo server on 127.0.0.1. */
class OpcUaSourceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  private final OpcUaSourceProvider provider = new OpcUaSourceProvider();
  private TestOpcUaServer server;
  private SensorSource source;

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
    // The source's own thread is gone; Milo's shared pools are daemon threads and stay for the process.
    // The source's pool has terminated when close() returns; its thread ends a moment after.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
            .noneMatch(thread -> thread.getName().startsWith("opcua-source-"))
            .noneMatch(thread -> !thread.isDaemon() && thread.getName().toLowerCase().contains("milo")));
  }

  @Test
  void securityNoneDeliversChangingValuesWithSourceTimestampsAndTypes() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    RecordingSourceContext context = start(settings(server, s -> {
      ObjectNode nodes = s.putObject("nodes");
      node(nodes, "temperature", "ns=2;s=Machine/Temperature").put("unit", "degC");
      node(nodes, "spindleSpeed", "ns=2;s=Machine/SpindleSpeed").put("unit", "rpm");
      node(nodes, "running", "ns=2;s=Machine/Running");
      node(nodes, "mode", "ns=2;s=Machine/Mode");
      node(nodes, "faulty", "ns=2;s=Machine/Faulty");
    }));

    await().atMost(PATIENCE).until(() -> context.readings("temperature").size() >= 5
        && context.readings("spindleSpeed").size() >= 5 && context.readings("running").size() >= 3
        && context.readings("mode").size() >= 3 && !context.readings("faulty").isEmpty());

    assertThat(context.states()).extracting(StateChange::state).startsWith(SourceState.STARTING)
        .contains(SourceState.CONNECTED).doesNotContain(SourceState.DISCONNECTED);
    assertThat(context.states().get(context.states().size() - 1).detail()).isNull();

    List<Reading> temperatures = context.readings("temperature");
    for (Reading reading : temperatures) {
      assertThat(reading.value()).isInstanceOf(Double.class);
      long tick = Math.round(((Double) reading.value() - 20.0) * 2);
      assertThat(reading.timestamp()).isEqualTo(TestOpcUaServer.sourceTimeOf(tick));
      assertThat(reading.unit()).isEqualTo("degC");
      assertThat(reading.properties()).containsExactly(
          java.util.Map.entry(DataValueConversion.NODE_ID_PROPERTY, "ns=2;s=Machine/Temperature"));
    }
    assertThat(temperatures).extracting(Reading::value).doesNotHaveDuplicates();
    assertThat(temperatures).extracting(Reading::timestamp).isSorted();

    for (Reading reading : context.readings("spindleSpeed")) {
      assertThat(reading.value()).isInstanceOf(Long.class);
      assertThat(reading.timestamp()).isEqualTo(TestOpcUaServer.sourceTimeOf((Long) reading.value() - 1000));
      assertThat(reading.unit()).isEqualTo("rpm");
    }
    assertThat(context.readings("running")).extracting(Reading::value).allMatch(Boolean.class::isInstance)
        .contains(true, false);
    assertThat(context.readings("mode")).allSatisfy(reading -> assertThat(reading.value()).isInstanceOf(String.class)
        .asString().startsWith("mode-"));
    Reading faulty = context.readings("faulty").get(0);
    assertThat(faulty.value()).isNull();
    assertThat(faulty.properties()).containsEntry(DataValueConversion.STATUS_PROPERTY, "Bad_SensorFailure");
  }

  /**
   * The source keeps one publish request at a time on the server, so that no publish response can overtake
   * another: Milo's client would pass on the late one's values after newer ones (and a second time, when it had
   * fetched the missing message with Republish meanwhile). A proxy on loopback watches the requests.
   */
  @Test
  void onlyOnePublishRequestIsOutstandingSoValuesArriveOnceAndInOrder() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    try (PublishWatchingProxy proxy = new PublishWatchingProxy(server.port())) {
      RecordingSourceContext context = start(settings(server, s -> {
        s.put("endpoint", "opc.tcp://127.0.0.1:" + proxy.port() + TestOpcUaServer.PATH);
        ObjectNode nodes = s.putObject("nodes");
        node(nodes, "temperature", "ns=2;s=Machine/Temperature");
        node(nodes, "spindleSpeed", "ns=2;s=Machine/SpindleSpeed");
      }));

      await().atMost(PATIENCE).until(() -> proxy.publishResponses() >= 30);

      assertThat(proxy.maxOutstandingPublishRequests()).isEqualTo(OpcUaSource.MAX_PENDING_PUBLISH_REQUESTS);
      for (String sensor : List.of("temperature", "spindleSpeed")) {
        List<Reading> readings = context.readings(sensor);
        assertThat(readings).as(sensor).hasSizeGreaterThan(5);
        assertThat(readings).extracting(Reading::value).as(sensor).doesNotHaveDuplicates();
        assertThat(readings).extracting(Reading::timestamp).as(sensor).isSorted();
      }
    }
  }

  @Test
  void anUnknownNodeIsReportedByNameWhileTheOtherNodesRunOn() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    RecordingSourceContext context = start(settings(server, s -> {
      ObjectNode nodes = s.putObject("nodes");
      node(nodes, "spindleSpeed", "ns=2;s=Machine/SpindleSpeed");
      node(nodes, "ghost", "ns=2;s=Machine/DoesNotExist");
    }));

    await().atMost(PATIENCE).until(() -> context.readings("spindleSpeed").size() >= 3);
    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.CONNECTED);
    StateChange connected = context.states().get(context.states().size() - 1);
    assertThat(connected.detail()).isEqualTo("nodes.ghost: Bad_NodeIdUnknown (ns=2;s=Machine/DoesNotExist)");
    assertThat(context.readings("ghost")).isEmpty();
  }

  @Test
  void afterAServerRestartTheSourceReconnectsAndResubscribes() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    RecordingSourceContext context = start(settings(server, s -> {
      s.put("keepAliveIntervalMillis", 500);
      s.put("requestTimeoutMillis", 2000);
      node(s.putObject("nodes"), "spindleSpeed", "ns=2;s=Machine/SpindleSpeed");
    }));
    await().atMost(PATIENCE).until(() -> context.readings("spindleSpeed").size() >= 3);

    server.stop();
    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    assertThat(context.states().get(context.states().size() - 1).detail()).contains("lost");
    long lastTickBeforeRestart = server.tick();
    int statesBeforeRestart = context.states().size();

    server.start();

    await().atMost(PATIENCE).until(() -> context.readings("spindleSpeed").stream()
        .anyMatch(reading -> (Long) reading.value() - 1000 > lastTickBeforeRestart));
    assertThat(context.states().subList(statesBeforeRestart, context.states().size()))
        .extracting(StateChange::state).contains(SourceState.CONNECTED);
    assertThat(context.lastState()).isEqualTo(SourceState.CONNECTED);
  }

  @Test
  void basic256Sha256WorksOnceEachSideTrustsTheOther() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    Path trusted = temp.resolve("trusted-servers");
    server.writeCertificate(trusted);
    Path state = temp.resolve("state");
    RecordingSourceContext context = new RecordingSourceContext("press1", state);
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", "Basic256Sha256");
      s.put("securityMode", "SignAndEncrypt");
      s.put("trustedServerCertificates", trusted.toString());
      s.put("reconnectMaxDelayMillis", 1000);
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), context);
    source.start();

    // The server does not trust the new client yet.
    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    Path clientCertificate = state.resolve(ClientIdentity.CERTIFICATE_DER_FILE);
    assertThat(context.states().get(context.states().size() - 1).detail()).contains("Bad_SecurityChecksFailed",
        "the server may not trust this client yet", clientCertificate.toString());
    assertThat(clientCertificate).exists();
    assertThat(state.resolve(ClientIdentity.CERTIFICATE_PEM_FILE)).exists();

    // The administrator copies the client's certificate into the server's trust list.
    trustOnServer(Files.readAllBytes(clientCertificate), "press1.der");

    await().atMost(PATIENCE).until(() -> context.readings("temperature").size() >= 3);
    assertThat(context.lastState()).isEqualTo(SourceState.CONNECTED);
    byte[] identity = Files.readAllBytes(state.resolve(ClientIdentity.KEYSTORE_FILE));
    if (state.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(state.resolve(ClientIdentity.KEYSTORE_FILE)))).isEqualTo("rw-------");
    }

    // A restarted source keeps its identity, so the server keeps trusting it.
    source.close();
    RecordingSourceContext again = new RecordingSourceContext("press1", state);
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", "Basic256Sha256");
      s.put("trustedServerCertificates", trusted.toString());
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), again);
    source.start();
    await().atMost(PATIENCE).until(() -> again.readings("temperature").size() >= 3);
    assertThat(again.states()).extracting(StateChange::state).doesNotContain(SourceState.DISCONNECTED);
    assertThat(Files.readAllBytes(state.resolve(ClientIdentity.KEYSTORE_FILE))).isEqualTo(identity);
  }

  @Test
  void anUntrustedServerCertificateIsRefusedWithItsThumbprint() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    Path trusted = Files.createDirectories(temp.resolve("trusted-servers"));
    Path state = temp.resolve("state");
    RecordingSourceContext context = new RecordingSourceContext("press2", state);
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", "Basic256Sha256");
      s.put("trustedServerCertificates", trusted.toString());
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), context);
    source.start();

    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    String detail = context.states().get(context.states().size() - 1).detail();
    assertThat(detail).contains("server certificate rejected", "Bad_SecurityChecksFailed",
        ClientIdentity.thumbprint(server.certificate()), trusted.toString());
    assertThat(context.readings()).isEmpty();
    try (var rejected = Files.list(state.resolve("pki").resolve("rejected"))) {
      assertThat(rejected).isNotEmpty();
    }
  }

  @Test
  void trustOnFirstUsePinsTheServerCertificate() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    Path state = temp.resolve("state");
    RecordingSourceContext context = new RecordingSourceContext("press3", state);
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", "Basic256Sha256");
      s.put("securityMode", "Sign");
      s.put("trustServerCertificateOnFirstUse", true);
      s.put("reconnectMaxDelayMillis", 1000);
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), context);
    source.start();
    await().atMost(PATIENCE).until(() -> Files.exists(state.resolve(ClientIdentity.CERTIFICATE_DER_FILE)));
    trustOnServer(Files.readAllBytes(state.resolve(ClientIdentity.CERTIFICATE_DER_FILE)), "c.der");

    await().atMost(PATIENCE).until(() -> context.readings("temperature").size() >= 3);
    assertThat(state.resolve("pki").resolve("trusted")
        .resolve(ClientIdentity.thumbprint(server.certificate()) + ".der")).exists();
  }

  @Test
  void usernameAndPasswordOverSecurityNoneAreCheckedOnlyWhenExplicitlyAllowedAndThenReportedAsAWarning()
      throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    RecordingSourceContext refused = start(settings(server, s -> {
      s.put("username", TestOpcUaServer.USERNAME);
      s.put("password", "wrong");
      s.put("allowCredentialsWithoutEncryption", true);
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    }));
    await().atMost(PATIENCE).until(() -> refused.lastState() == SourceState.DISCONNECTED);
    assertThat(refused.states().get(refused.states().size() - 1).detail()).contains("Bad_UserAccessDenied");
    source.close();

    RecordingSourceContext accepted = start(settings(server, s -> {
      s.put("username", TestOpcUaServer.USERNAME);
      s.put("password", TestOpcUaServer.PASSWORD);
      s.put("allowCredentialsWithoutEncryption", true);
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    }));
    await().atMost(PATIENCE).until(() -> accepted.readings("temperature").size() >= 2);
    String warning = "warning: the password of user \"operator\" is sent without a secure channel";
    assertThat(accepted.states().get(0).detail()).contains(warning);
    await().atMost(PATIENCE).until(() -> accepted.lastState() == SourceState.CONNECTED);
    assertThat(accepted.states().get(accepted.states().size() - 1).detail()).startsWith(warning);
  }

  /** Each row: the policy and mode, and whether the client's key and certificate come as PEM files or PKCS#12. */
  @ParameterizedTest(name = "{0}/{1}, client certificate as {2}")
  @CsvSource({
      "Basic256Sha256,        SignAndEncrypt, PEM",
      "Aes128_Sha256_RsaOaep, SignAndEncrypt, PKCS12",
      "Aes128_Sha256_RsaOaep, Sign,           PEM",
      "Aes256_Sha256_RsaPss,  SignAndEncrypt, PEM",
      "Aes256_Sha256_RsaPss,  Sign,           PKCS12"})
  void eachSecurityPolicyConnectsWithTheConfiguredClientCertificateAndCredentials(String policy, String mode,
      String format) throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    Path trusted = temp.resolve("trusted-servers");
    server.writeCertificate(trusted);
    ClientFiles client = ClientFiles.generate(temp.resolve("client"), "urn:edgeai4j:test:client:" + policy);
    trustOnServer(client.certificate().getEncoded(), "client.der");
    Path state = temp.resolve("state");
    RecordingSourceContext context = new RecordingSourceContext("secure", state);
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", policy);
      s.put("securityMode", mode);
      s.put("trustedServerCertificates", trusted.toString());
      s.put("username", TestOpcUaServer.USERNAME);
      s.put("password", TestOpcUaServer.PASSWORD);
      client.configure(s, format);
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), context);
    source.start();

    await().atMost(PATIENCE).until(() -> context.readings("temperature").size() >= 3);
    assertThat(context.states()).extracting(StateChange::state).doesNotContain(SourceState.DISCONNECTED);
    assertThat(context.states()).extracting(StateChange::detail).noneMatch(d -> d != null && d.contains("warning"));
    assertThat(state.resolve(ClientIdentity.KEYSTORE_FILE)).as("no certificate generated").doesNotExist();
    assertThat(Files.readAllBytes(state.resolve(ClientIdentity.CERTIFICATE_DER_FILE)))
        .isEqualTo(client.certificate().getEncoded());
  }

  @Test
  void aConfiguredKeyThatDoesNotBelongToTheCertificateIsReportedByName() throws Exception {
    server = TestOpcUaServer.start(temp.resolve("server-pki"));
    Path trusted = temp.resolve("trusted-servers");
    server.writeCertificate(trusted);
    ClientFiles client = ClientFiles.generate(temp.resolve("client"), "urn:edgeai4j:test:client");
    ClientFiles other = ClientFiles.generate(temp.resolve("other"), "urn:edgeai4j:test:other");
    RecordingSourceContext context = new RecordingSourceContext("mismatch", temp.resolve("state"));
    source = provider.create(provider.parse(settings(server, s -> {
      s.put("securityPolicy", "Aes256_Sha256_RsaPss");
      s.put("trustedServerCertificates", trusted.toString());
      s.put("clientCertificateFile", client.certificateFile().toString());
      s.put("clientKeyFile", other.keyFile().toString());
      node(s.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    })), context);
    source.start();

    await().atMost(PATIENCE).until(() -> context.lastState() == SourceState.DISCONNECTED);
    assertThat(context.states().get(context.states().size() - 1).detail()).startsWith("cannot connect to "
        + server.endpointUrl() + ": client certificate: clientCertificateFile " + client.certificateFile()
        + " and clientKeyFile " + other.keyFile() + ": the private key does not belong to the certificate");
  }

  @Test
  void anUnreachableServerIsReportedAndRetriedWithoutBlockingStart() throws Exception {
    int port = TestOpcUaServer.freePort();
    RecordingSourceContext context = new RecordingSourceContext("nowhere", temp.resolve("state"));
    ObjectNode settings = SettingsBinder.mapper().createObjectNode();
    settings.put("endpoint", "opc.tcp://127.0.0.1:" + port + "/nothing");
    settings.put("securityPolicy", "None");
    node(settings.putObject("nodes"), "temperature", "ns=2;s=Machine/Temperature");
    source = provider.create(provider.parse(settings), context);

    long before = System.nanoTime();
    source.start();
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));

    await().atMost(PATIENCE).until(() -> context.states().stream()
        .filter(change -> change.state() == SourceState.DISCONNECTED).count() >= 2);
    assertThat(context.states().get(1).detail()).startsWith("cannot connect to opc.tcp://127.0.0.1:" + port)
        .containsIgnoringCase("connection refused");
    // 1 s doubling, with jitter: each wait lies between half and all of its base.
    assertThat(retryMillis(context.states().get(1).detail())).isBetween(500L, 1000L);
    assertThat(retryMillis(context.states().get(2).detail())).isBetween(1000L, 2000L);

    source.close();
    source.close();
    assertThat(context.lastState()).isEqualTo(SourceState.STOPPED);
    assertThat(context.states()).filteredOn(change -> change.state() == SourceState.STOPPED).hasSize(1);
  }

  /** A client key pair and certificate written as PEM files and as a PKCS#12 file. */
  private record ClientFiles(X509Certificate certificate, Path certificateFile, Path keyFile, Path keyStoreFile) {
    static final String KEY_STORE_PASSWORD = "changeit";

    static ClientFiles generate(Path directory, String applicationUri) throws Exception {
      Files.createDirectories(directory);
      KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName("edgeai4j test client")
          .setApplicationUri(applicationUri).addDnsName("localhost").build();
      Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      Path certificateFile = Files.writeString(directory.resolve("client.crt"), "-----BEGIN CERTIFICATE-----\n"
          + base64.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
      Path keyFile = Files.writeString(directory.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n"
          + base64.encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("client", keys.getPrivate(), KEY_STORE_PASSWORD.toCharArray(),
          new X509Certificate[] {certificate});
      Path keyStoreFile = directory.resolve("client.p12");
      try (var out = Files.newOutputStream(keyStoreFile)) {
        keyStore.store(out, KEY_STORE_PASSWORD.toCharArray());
      }
      return new ClientFiles(certificate, certificateFile, keyFile, keyStoreFile);
    }

    void configure(ObjectNode settings, String format) {
      if (format.equals("PKCS12")) {
        settings.put("clientKeyStoreFile", keyStoreFile.toString());
        settings.put("clientKeyStorePassword", KEY_STORE_PASSWORD);
      } else {
        settings.put("clientCertificateFile", certificateFile.toString());
        settings.put("clientKeyFile", keyFile.toString());
      }
    }
  }

  /**
   * Puts a client certificate into the server's trust list in one step (a file written in place could be read
   * half-written by the server's directory watcher, which would then not read it again).
   */
  private void trustOnServer(byte[] certificate, String fileName) throws Exception {
    Path directory = Files.createDirectories(server.trustedClientCertificates());
    Path temporary = Files.write(temp.resolve(fileName + ".tmp"), certificate);
    Files.move(temporary, directory.resolve(fileName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static long retryMillis(String detail) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("retrying in (\\d+) ms$").matcher(detail);
    assertThat(matcher.find()).as("a retry delay at the end of %s", detail).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private RecordingSourceContext start(ObjectNode settings) throws Exception {
    RecordingSourceContext context = new RecordingSourceContext("press", temp.resolve("state-" + System.nanoTime()));
    source = provider.create(provider.parse(settings), context);
    source.start();
    return context;
  }

  private static ObjectNode settings(TestOpcUaServer server, Consumer<ObjectNode> customize) {
    ObjectNode settings = SettingsBinder.mapper().createObjectNode();
    settings.put("endpoint", server.endpointUrl());
    settings.put("securityPolicy", "None");
    settings.put("publishingIntervalMillis", 100);
    customize.accept(settings);
    return settings;
  }

  private static ObjectNode node(ObjectNode nodes, String sensor, String nodeId) {
    ObjectNode node = nodes.putObject(sensor);
    node.put("nodeId", nodeId);
    return node;
  }
}
