package io.edgeai4j.edgehub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeCertificatesTest {
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir
  Path dir;

  @Test
  void createsAP256CaAndAServerCertificateItSignsAsPemFilesWithPrivateKeys() throws Exception {
    Instant now = Instant.now();
    EdgeCertificates pki = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("edge-gw", "192.168.1.20"), CLOCK);

    X509Certificate ca = pki.serverChain()[1];
    X509Certificate server = pki.serverChain()[0];
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=edgeai4j local edge CA edge-1");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getPublicKey().toString()).contains("secp256r1");
    assertThat(ca.getBasicConstraints()).isZero(); // CA with path length 0
    assertThat(ca.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(),
        Extension.keyUsage.getId());
    assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(ca.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(365)).minusSeconds(60),
        now.plus(Duration.ofDays(365)).plusSeconds(60));
    ca.verify(ca.getPublicKey());

    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=edge-gw");
    assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    server.verify(ca.getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(sans(server)).containsExactlyInAnyOrder("2:edge-gw", "7:192.168.1.20", "2:localhost",
        "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
    assertThat(server.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(90)).minusSeconds(60),
        now.plus(Duration.ofDays(90)).plusSeconds(60));
    byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
        server.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    assertThat(aki).isEqualTo(ski);

    assertThat(pki.caCertificateFile()).isEqualTo(dir.resolve("edge-ca.pem"));
    assertThat(Files.readString(pki.caCertificateFile())).isEqualTo(pki.caCertificatePem())
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(readCertificates(dir.resolve("edge-ca.pem"))).containsExactly(ca);
    assertThat(readCertificates(dir.resolve("edge-server.pem"))).containsExactly(server, ca);
    assertThat(Files.readString(dir.resolve("edge-server-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("edge-ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    if (SecureFiles.posix()) {
      assertThat(mode("edge-ca-key.pem")).isEqualTo("rw-------");
      assertThat(mode("edge-server-key.pem")).isEqualTo("rw-------");
      assertThat(mode("edge-ca.pem")).isEqualTo("rw-r--r--");
    }
  }

  @Test
  void aLaterStartReloadsTheSameCaAndServerCertificate() throws IOException {
    EdgeCertificates first = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("localhost"), CLOCK);

    EdgeCertificates second = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("localhost", "127.0.0.1",
        "::1"), CLOCK);

    assertThat(second.serverChain()).containsExactly(first.serverChain());
    assertThat(second.serverKey()).isEqualTo(first.serverKey());
    assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
  }

  @Test
  void aNewServerNameReissuesTheServerCertificateWithTheSameCa() throws Exception {
    EdgeCertificates first = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("localhost"), CLOCK);

    EdgeCertificates second = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("host.docker.internal"), CLOCK);

    assertThat(second.serverChain()[1]).isEqualTo(first.serverChain()[1]);
    assertThat(second.serverChain()[0]).isNotEqualTo(first.serverChain()[0]);
    assertThat(second.serverKey()).isNotEqualTo(first.serverKey());
    assertThat(sans(second.serverChain()[0])).contains("2:host.docker.internal", "2:localhost");
    // and it is what the files now hold
    assertThat(EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("host.docker.internal"), CLOCK).serverChain())
        .containsExactly(second.serverChain());
  }

  @ParameterizedTest
  @CsvSource({"0, false", "82, false", "83, true", "89, true", "120, true"})
  void theServerCertificateIsReissuedWhenItExpiresWithinSevenDays(int daysLater, boolean reissued)
      throws IOException {
    Instant start = Instant.now();
    EdgeCertificates first = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), Clock.fixed(start,
        ZoneOffset.UTC));

    EdgeCertificates later = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(),
        Clock.fixed(start.plus(Duration.ofDays(daysLater)), ZoneOffset.UTC));

    assertThat(later.serverChain()[1]).isEqualTo(first.serverChain()[1]);
    assertThat(!later.serverChain()[0].equals(first.serverChain()[0])).isEqualTo(reissued);
  }

  @Test
  void aCaDueWithinSevenDaysIsMadeAgainWithANewServerCertificate() throws IOException {
    Instant start = Instant.now();
    EdgeCertificates first = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), Clock.fixed(start,
        ZoneOffset.UTC));

    EdgeCertificates later = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(),
        Clock.fixed(start.plus(Duration.ofDays(360)), ZoneOffset.UTC));

    assertThat(later.serverChain()[1]).isNotEqualTo(first.serverChain()[1]);
    assertThat(Files.readString(later.caCertificateFile())).isEqualTo(later.caCertificatePem());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "edge-ca.pem     | not a certificate | edge-ca.pem holds no PEM certificate",
      "edge-ca-key.pem | not a key         | edge-ca-key.pem holds no PEM object; expected a PEM 'PRIVATE KEY'",
      "edge-ca.pem     | -----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE----- | Cannot read certificate file",
  })
  void aCaThatCannotBeReadFailsNamingTheFile(String file, String content, String message) throws IOException {
    EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), CLOCK);
    Files.writeString(dir.resolve(file), content.replace("\\n", "\n"));

    assertThatThrownBy(() -> EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), CLOCK))
        .isInstanceOf(IOException.class).hasMessageContaining(dir.resolve(file).toString())
        .hasMessageContaining(message.substring(message.indexOf(' ') + 1));
    assertThat(Files.readString(dir.resolve(file))).isEqualTo(content.replace("\\n", "\n")); // left as found
  }

  @Test
  void aMissingCaKeyOrAKeyOfAnotherCaFailsNamingTheFiles() throws IOException {
    Path other = Files.createDirectory(dir.resolve("other"));
    Path mine = Files.createDirectory(dir.resolve("mine"));
    EdgeCertificates.loadOrCreate(other, "edge-1", List.of(), CLOCK);
    EdgeCertificates.loadOrCreate(mine, "edge-1", List.of(), CLOCK);
    Files.copy(other.resolve("edge-ca-key.pem"), mine.resolve("edge-ca-key.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> EdgeCertificates.loadOrCreate(mine, "edge-1", List.of(), CLOCK))
        .isInstanceOf(IOException.class).hasMessageContaining("CA key " + mine.resolve("edge-ca-key.pem")
            + " is not the key of the CA certificate " + mine.resolve("edge-ca.pem"));

    Files.delete(mine.resolve("edge-ca-key.pem"));
    assertThatThrownBy(() -> EdgeCertificates.loadOrCreate(mine, "edge-1", List.of(), CLOCK))
        .isInstanceOf(IOException.class).hasMessageContaining(mine.resolve("edge-ca-key.pem") + " does not exist");
  }

  @Test
  void aDamagedServerCertificateIsReissued() throws IOException {
    EdgeCertificates first = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), CLOCK);
    Files.writeString(dir.resolve("edge-server-key.pem"), "garbage");

    EdgeCertificates second = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(), CLOCK);

    assertThat(second.serverChain()[0]).isNotEqualTo(first.serverChain()[0]);
    assertThat(second.serverChain()[1]).isEqualTo(first.serverChain()[1]);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"bad name", "host_ok.but/slash", "300.1.1.1", "'  '", "a..b"})
  void aServerNameThatIsNeitherADnsNameNorAnIpIsRefusedNamingIt(String name) {
    assertThatThrownBy(() -> EdgeCertificates.loadOrCreate(dir, "edge-1", List.of(name), CLOCK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + name + "'");
  }

  /** What Paho does for the SDK: TLS with endpoint identification "HTTPS" against the GatewayHostName. */
  @ParameterizedTest
  @CsvSource({"localhost, true", "127.0.0.1, true", "edge-gw, true", "other.example, false", "10.0.0.1, false"})
  void aTlsClientTrustingTheCaFileVerifiesTheServerNames(String host, boolean succeeds) throws Exception {
    EdgeCertificates pki = EdgeCertificates.loadOrCreate(dir, "edge-1", List.of("edge-gw"), CLOCK);
    SSLContext serverContext = serverContext(pki);
    SSLContext clientContext = clientContext(pki.caCertificateFile());

    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) listener.accept()) {
          accepted.startHandshake();
          accepted.getOutputStream().write(42);
          accepted.getOutputStream().flush();
        } catch (IOException e) {
          // the client refused the certificate
        }
      });
      Socket plain = new Socket();
      plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5000);
      try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, host,
          listener.getLocalPort(), true)) {
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        client.setSoTimeout(5000);
        if (succeeds) {
          client.startHandshake();
          InputStream in = client.getInputStream();
          assertThat(in.read()).isEqualTo(42);
        } else {
          assertThatThrownBy(client::startHandshake).isInstanceOf(SSLException.class)
              .hasMessageContaining(host);
        }
      }
      served.get(5, TimeUnit.SECONDS);
    }
  }

  private static SSLContext serverContext(EdgeCertificates pki) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", pki.serverKey(), new char[0], pki.serverChain());
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static SSLContext clientContext(Path caFile) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate certificate : readCertificates(caFile)) {
      trust.setCertificateEntry("ca" + i++, certificate);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static List<X509Certificate> readCertificates(Path file) throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory.getInstance("X.509").generateCertificates(in)
          .forEach(c -> certificates.add((X509Certificate) c));
      return certificates;
    }
  }

  private static List<String> sans(X509Certificate certificate) throws GeneralSecurityException {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
    sans.forEach(san -> names.add(san.get(0) + ":" + san.get(1)));
    return names;
  }

  private String mode(String file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)));
  }
}
