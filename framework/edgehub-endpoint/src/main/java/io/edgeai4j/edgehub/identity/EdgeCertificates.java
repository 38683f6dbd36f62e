package io.edgeai4j.edgehub.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA and the server certificate (BouncyCastle, EC P-256), generated on first start and kept as PEM files under a
 * directory (keys readable only by the user); reloaded on later starts; the server certificate is re-issued when its
 * names change or it expires within 7 days. Immutable once loaded.
 *
 * <p>Files in the directory: {@code edge-ca.pem} (the CA certificate: {@code EdgeModuleCACertificateFile} and the
 * workload API's trust bundle), {@code edge-ca-key.pem} (its PKCS#8 key, 0600), {@code edge-server.pem} (the server
 * certificate, then the CA certificate) and {@code edge-server-key.pem} (its PKCS#8 key, 0600). The CA ({@code
 * CN=edgeai4j local edge CA <deviceId>}, basic constraints CA with path length 0, key usage keyCertSign and cRLSign)
 * is valid 365 days and made again, with a new server certificate, when it expires within 7 days; a CA that cannot be
 * read fails naming the file. The server certificate ({@code CN=<first server name>}, server authentication) is valid
 * 90 days (never past the CA) and names the given DNS names and IP literals plus localhost, 127.0.0.1 and ::1: the
 * SDK's MQTT client checks that the {@code GatewayHostName} it connects to is among them.
 */
public final class EdgeCertificates {
  static final String CA_FILE = "edge-ca.pem";
  static final String CA_KEY_FILE = "edge-ca-key.pem";
  static final String SERVER_FILE = "edge-server.pem";
  static final String SERVER_KEY_FILE = "edge-server-key.pem";
  static final Duration CA_VALIDITY = Duration.ofDays(365);
  static final Duration SERVER_VALIDITY = Duration.ofDays(90);
  static final Duration RENEW_BEFORE = Duration.ofDays(7);
  /** Back-dating of notBefore, for clocks that are a little behind. */
  static final Duration BACKDATE = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(EdgeCertificates.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private final Path caCertificateFile;
  private final X509Certificate caCertificate;
  private final String caCertificatePem;
  private final PrivateKey serverKey;
  private final X509Certificate serverCertificate;

  private EdgeCertificates(Path caCertificateFile, X509Certificate caCertificate, PrivateKey serverKey,
      X509Certificate serverCertificate) {
    this.caCertificateFile = caCertificateFile;
    this.caCertificate = caCertificate;
    this.caCertificatePem = pem(caCertificate);
    this.serverKey = serverKey;
    this.serverCertificate = serverCertificate;
  }

  /**
   * Loads the CA and the server certificate from the directory, creating what is missing or due.
   *
   * @param serverNames DNS names and IP literals for the server certificate's SANs (localhost, 127.0.0.1 and ::1 are
   *     always added); the first is its CN
   * @throws IOException when a file cannot be written, or the CA certificate or key cannot be read (naming the file)
   * @throws IllegalArgumentException when the device id is blank or a server name is neither a DNS name nor an IP
   *     literal
   */
  public static EdgeCertificates loadOrCreate(Path directory, String deviceId, Collection<String> serverNames,
      Clock clock) throws IOException {
    Objects.requireNonNull(directory, "directory");
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("The device id must not be blank; found " + deviceId);
    }
    ServerNames names = ServerNames.of(serverNames);
    Instant now = clock.instant();
    Files.createDirectories(directory);
    Path caFile = directory.resolve(CA_FILE);
    Path caKeyFile = directory.resolve(CA_KEY_FILE);
    KeyPair caKeys = null;
    X509Certificate ca = null;
    boolean newCa;
    if (Files.exists(caFile) || Files.exists(caKeyFile)) {
      ca = readCertificates(caFile).get(0);
      caKeys = new KeyPair(ca.getPublicKey(), readKey(caKeyFile));
      if (!matches(caKeys.getPrivate(), ca.getPublicKey())) {
        throw new IOException("CA key " + caKeyFile + " is not the key of the CA certificate " + caFile
            + "; expected the pair written together (remove both to make a new CA)");
      }
      newCa = dueBy(ca, now);
      if (newCa) {
        LOG.warn("Edge CA {} expires at {}, within {} days: making a new CA; modules must trust the new {}",
            caFile, ca.getNotAfter().toInstant(), RENEW_BEFORE.toDays(), caFile);
      }
    } else {
      newCa = true;
    }
    if (newCa) {
      caKeys = generateKeyPair();
      ca = issueCa(deviceId, caKeys, now);
      writeKey(caKeyFile, caKeys.getPrivate());
      SecureFiles.writeAtomically(caFile, pem(ca).getBytes(StandardCharsets.US_ASCII), false);
      LOG.info("Made the edge CA {} ({}), valid until {}", caFile, ca.getSubjectX500Principal().getName(),
          ca.getNotAfter().toInstant());
    }

    Path serverFile = directory.resolve(SERVER_FILE);
    Path serverKeyFile = directory.resolve(SERVER_KEY_FILE);
    String reason = newCa ? "a new CA" : serverCertificateUnusable(serverFile, serverKeyFile, ca, names, now);
    X509Certificate server;
    PrivateKey serverKey;
    if (reason == null) {
      server = readCertificates(serverFile).get(0);
      serverKey = readKey(serverKeyFile);
    } else {
      KeyPair serverKeys = generateKeyPair();
      server = issueServer(names, serverKeys.getPublic(), ca, caKeys.getPrivate(), now);
      serverKey = serverKeys.getPrivate();
      writeKey(serverKeyFile, serverKey);
      SecureFiles.writeAtomically(serverFile, (pem(server) + pem(ca)).getBytes(StandardCharsets.US_ASCII), false);
      LOG.info("Issued the edge server certificate {} for DNS {} and IP {} ({}), valid until {}", serverFile,
          names.dnsNames(), names.ipAddresses(), reason, server.getNotAfter().toInstant());
    }
    return new EdgeCertificates(caFile, ca, serverKey, server);
  }

  /** {@code <dir>/edge-ca.pem} (EdgeModuleCACertificateFile, trust bundle). */
  public Path caCertificateFile() {
    return caCertificateFile;
  }

  /** The CA certificate as PEM, what {@link #caCertificateFile()} holds. */
  public String caCertificatePem() {
    return caCertificatePem;
  }

  /** The server certificate's private key. */
  public PrivateKey serverKey() {
    return serverKey;
  }

  /** The server certificate, then the CA certificate (a new array on every call). */
  public X509Certificate[] serverChain() {
    return new X509Certificate[] {serverCertificate, caCertificate};
  }

  /** Why the stored server certificate cannot be used, or null when it can. */
  private static String serverCertificateUnusable(Path file, Path keyFile, X509Certificate ca, ServerNames names,
      Instant now) {
    if (!Files.exists(file) || !Files.exists(keyFile)) {
      return "none stored";
    }
    X509Certificate server;
    PrivateKey key;
    try {
      server = readCertificates(file).get(0);
      key = readKey(keyFile);
    } catch (IOException e) {
      LOG.warn("Cannot read the stored server certificate, issuing a new one: {}", e.getMessage());
      return "the stored one cannot be read";
    }
    try {
      server.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return "the stored one is not signed by the CA";
    }
    if (!matches(key, server.getPublicKey())) {
      return "the stored key does not match it";
    }
    if (dueBy(server, now)) {
      return "the stored one expires at " + server.getNotAfter().toInstant();
    }
    ServerNames stored = sanNames(server);
    if (!stored.containsAll(names)) {
      Set<String> missing = new LinkedHashSet<>(names.dnsNames());
      missing.removeAll(stored.dnsNames());
      Set<String> missingIps = new LinkedHashSet<>(names.ipAddresses());
      missingIps.removeAll(stored.ipAddresses());
      missing.addAll(missingIps);
      return "the stored one lacks " + missing;
    }
    return null;
  }

  private static boolean dueBy(X509Certificate certificate, Instant now) {
    return !certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
  }

  private static ServerNames sanNames(X509Certificate certificate) {
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
        int type = (Integer) san.get(0);
        if (type == DNS_NAME) {
          dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
        } else if (type == IP_ADDRESS) {
          ips.add(ServerNames.normalizeIp((String) san.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      // No names: the certificate is re-issued.
    }
    return new ServerNames("", dns, ips);
  }

  private static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available in this JVM", e);
    }
  }

  private static X509Certificate issueCa(String deviceId, KeyPair keys, Instant now) {
    try {
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.CN, "edgeai4j local edge CA " + deviceId).build();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot make the edge CA certificate", e);
    }
  }

  private static X509Certificate issueServer(ServerNames names, PublicKey key, X509Certificate ca,
      PrivateKey caKey, Instant now) {
    try {
      List<GeneralName> sans = new ArrayList<>();
      names.dnsNames().forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
      names.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
      Instant notAfter = now.plus(SERVER_VALIDITY);
      if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
        notAfter = ca.getNotAfter().toInstant();
      }
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(notAfter),
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.first()).build(), key)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(sans.toArray(GeneralName[]::new)))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
      return sign(builder, caKey);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot issue the edge server certificate", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  /** Whether the private key signs what the public key verifies. */
  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    try {
      byte[] probe = new byte[32];
      RANDOM.nextBytes(probe);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(reader(file))) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException("Cannot read certificate file " + file + ": " + e.getMessage()
          + "; expected PEM 'CERTIFICATE' blocks", e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("Certificate file " + file + " holds no PEM certificate; expected a "
          + "'-----BEGIN CERTIFICATE-----' block");
    }
    return certificates;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    Object object;
    try (PEMParser parser = new PEMParser(reader(file))) {
      object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("Cannot read key file " + file + ": " + e.getMessage()
          + "; expected a PEM 'PRIVATE KEY' block", e);
    }
    throw new IOException("Key file " + file + " holds " + (object == null ? "no PEM object"
        : object.getClass().getSimpleName()) + "; expected a PEM 'PRIVATE KEY' block (PKCS#8)");
  }

  private static Reader reader(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("File " + file + " does not exist or is not a regular file");
    }
    return new StringReader(Files.readString(file, StandardCharsets.US_ASCII));
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    }
    SecureFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.US_ASCII), true);
  }

  private static String pem(X509Certificate certificate) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(certificate);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a certificate as PEM", e);
    }
    return text.toString();
  }
}
