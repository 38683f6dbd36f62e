package io.edgeai4j.ingestion.opcua;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A real Milo OPC UA server on 127.0.0.1 for the tests, with a {@link MachineNamespace} whose values
 * change every 50 ms. Endpoints: None/None, and Sign and SignAndEncrypt for each of Basic256Sha256,
 * Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss;
 * anonymous and user {@value #USERNAME} / {@value #PASSWORD}. It trusts the client certificates in
 * {@link #trustedClientCertificates()} (a Milo file-based trust list). It keeps its key, certificate,
 * port and value counter across {@link #stop()} and {@link #start()}, like a restarted PLC. Public in
 * this module's test jar, so that the sensor-ingestion module's tests run an OPC UA source against it.
 */
public final class TestOpcUaServer implements AutoCloseable {
  static final String PATH = "/edgeai4j";
  static final String USERNAME = "operator";
  static final String PASSWORD = "secret";

  private final int port;
  private final Path pkiDirectory;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final AtomicLong tick = new AtomicLong();
  private OpcUaServer server;
  private MachineNamespace namespace;
  private FileBasedTrustListManager trustList;

  private TestOpcUaServer(int port, Path pkiDirectory) throws Exception {
    this.port = port;
    this.pkiDirectory = pkiDirectory;
    this.keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    this.certificate = new SelfSignedCertificateBuilder(keyPair)
        .setCommonName("edgeai4j test server")
        .setApplicationUri("urn:edgeai4j:test:opcua-server")
        .addIpAddress("127.0.0.1")
        .addDnsName("localhost")
        .build();
  }

  /** Starts a server on a free port; its trust list lives under {@code pkiDirectory}. */
  public static TestOpcUaServer start(Path pkiDirectory) throws Exception {
    TestOpcUaServer server = new TestOpcUaServer(freePort(), pkiDirectory);
    server.start();
    return server;
  }

  synchronized void start() throws Exception {
    OpcUaSource.registerBouncyCastle(); // the server signs Aes256_Sha256_RsaPss with SHA256withRSA/PSS too
    trustList = FileBasedTrustListManager.createAndInitialize(pkiDirectory);
    MemoryCertificateQuarantine quarantine = new MemoryCertificateQuarantine();
    RsaSha256CertificateFactory certificateFactory = new RsaSha256CertificateFactory() {
      @Override
      protected KeyPair createRsaSha256KeyPair() {
        return keyPair;
      }

      @Override
      protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keys) {
        return new X509Certificate[] {certificate};
      }
    };
    DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trustList, new MemoryCertificateStore(),
        certificateFactory, new DefaultServerCertificateValidator(trustList, quarantine));

    OpcUaServerConfig config = OpcUaServerConfig.builder()
        .setApplicationUri("urn:edgeai4j:test:opcua-server")
        .setApplicationName(LocalizedText.english("edgeai4j test server"))
        .setProductUri("urn:edgeai4j:test")
        .setEndpoints(endpoints())
        .setCertificateManager(new DefaultCertificateManager(quarantine, group))
        .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
            new UsernameIdentityValidator(challenge ->
                USERNAME.equals(challenge.getUsername()) && PASSWORD.equals(challenge.getPassword()))))
        .build();
    server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    namespace = new MachineNamespace(server, tick);
    namespace.startup();
    server.startup().get(20, TimeUnit.SECONDS);
  }

  /** Shuts the server down; its clients lose their sessions. */
  synchronized void stop() throws Exception {
    if (server == null) {
      return;
    }
    try {
      namespace.shutdown();
      server.shutdown().get(20, TimeUnit.SECONDS);
    } finally {
      server = null;
      trustList.close();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  public String endpointUrl() {
    return "opc.tcp://127.0.0.1:" + port + PATH;
  }

  int port() {
    return port;
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** Writes this server's certificate as DER into {@code directory}. */
  Path writeCertificate(Path directory) throws Exception {
    Files.createDirectories(directory);
    return Files.write(directory.resolve("test-server.der"), certificate.getEncoded());
  }

  /** The directory whose certificate files this server trusts. */
  Path trustedClientCertificates() {
    return pkiDirectory.resolve("trusted").resolve("certs");
  }

  /** The value counter: each tick changes every value and advances source time by one second. */
  long tick() {
    return tick.get();
  }

  /** The source timestamp the server gives the values of {@code tick}. */
  static Instant sourceTimeOf(long tick) {
    return MachineNamespace.BASE_TIME.plusSeconds(tick);
  }

  private Set<EndpointConfig> endpoints() {
    EndpointConfig.Builder base = EndpointConfig.newBuilder()
        .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
        .setBindAddress("127.0.0.1")
        .setBindPort(port)
        .setHostname("127.0.0.1")
        .setPath(PATH)
        .setCertificate(certificate)
        .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS, OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
    endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256).setSecurityMode(MessageSecurityMode.Sign)
        .build());
    for (SecurityPolicy policy : new SecurityPolicy[] {SecurityPolicy.Basic256Sha256,
        SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss}) {
      if (policy != SecurityPolicy.Basic256Sha256) {
        endpoints.add(base.copy().setSecurityPolicy(policy).setSecurityMode(MessageSecurityMode.Sign).build());
      }
      endpoints.add(base.copy().setSecurityPolicy(policy).setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
    }
    return endpoints;
  }

  /** A port nothing listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
