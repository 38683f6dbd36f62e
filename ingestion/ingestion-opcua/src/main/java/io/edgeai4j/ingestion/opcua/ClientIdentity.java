package io.edgeai4j.ingestion.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Period;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The source's OPC UA application instance certificate and key pair: loaded from the configured files
 * ({@link #loadConfigured}: a PEM or DER certificate with a PEM key, or a PKCS#12 file), or else generated
 * with Milo on first use and kept in {@value #KEYSTORE_FILE} in the source's state directory, so that the
 * identity survives restarts and a server that trusts it once keeps trusting it. Either way the certificate
 * is also written as {@value #CERTIFICATE_DER_FILE} and {@value #CERTIFICATE_PEM_FILE} in the state directory
 * for the server's administrator. Immutable once loaded.
 */
final class ClientIdentity {
  static final String KEYSTORE_FILE = "client-identity.p12";
  static final String CERTIFICATE_DER_FILE = "client-certificate.der";
  static final String CERTIFICATE_PEM_FILE = "client-certificate.pem";
  /** Protects the PKCS#12 file's format, not its secrecy: the file's permissions do that. */
  private static final char[] KEYSTORE_PASSWORD = "edgeai4j-opcua".toCharArray();
  private static final String ALIAS = "opcua-client";

  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final String applicationUri;
  private final Path certificateFile;

  private ClientIdentity(KeyPair keyPair, X509Certificate certificate, String applicationUri, Path certificateFile) {
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.applicationUri = applicationUri;
    this.certificateFile = certificateFile;
  }

  /**
   * Loads the identity from {@code stateDirectory}, generating it first when there is none.
   *
   * @param sourceName Goes into the certificate's common name and application URI.
   */
  static ClientIdentity loadOrCreate(Path stateDirectory, String sourceName) throws IOException, GeneralSecurityException {
    Path keyStoreFile = stateDirectory.resolve(KEYSTORE_FILE);
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    if (Files.exists(keyStoreFile)) {
      try (InputStream in = Files.newInputStream(keyStoreFile)) {
        keyStore.load(in, KEYSTORE_PASSWORD);
      }
    } else {
      keyStore.load(null, KEYSTORE_PASSWORD);
      KeyPair generated = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      X509Certificate generatedCertificate = generateCertificate(generated, sourceName);
      keyStore.setKeyEntry(ALIAS, generated.getPrivate(), KEYSTORE_PASSWORD, new X509Certificate[] {generatedCertificate});
      Path temporary = Files.createTempFile(stateDirectory, KEYSTORE_FILE, ".tmp");
      ownerOnly(temporary);
      try (OutputStream out = Files.newOutputStream(temporary)) {
        keyStore.store(out, KEYSTORE_PASSWORD);
      }
      Files.move(temporary, keyStoreFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!(keyStore.getKey(ALIAS, KEYSTORE_PASSWORD) instanceof PrivateKey privateKey)
        || !(keyStore.getCertificate(ALIAS) instanceof X509Certificate certificate)) {
      throw new GeneralSecurityException(keyStoreFile + " holds no key entry \"" + ALIAS
          + "\"; delete the file to generate a new client identity");
    }
    String applicationUri = CertificateUtil.getSanUri(certificate).orElseThrow(() -> new GeneralSecurityException(
        "the certificate in " + keyStoreFile + " has no application URI; delete the file to generate a new one"));
    Path derFile = stateDirectory.resolve(CERTIFICATE_DER_FILE);
    writeIfChanged(derFile, certificate.getEncoded());
    writeIfChanged(stateDirectory.resolve(CERTIFICATE_PEM_FILE), pem(certificate));
    return new ClientIdentity(new KeyPair(certificate.getPublicKey(), privateKey), certificate, applicationUri, derFile);
  }

  /**
   * Loads the identity the settings name: {@code clientCertificateFile} with {@code clientKeyFile}, or
   * {@code clientKeyStoreFile}.
   *
   * @throws GeneralSecurityException Naming the setting and the file when one cannot be read, the key does
   *     not match the certificate, or the certificate has no application URI.
   */
  static ClientIdentity loadConfigured(OpcUaSettings settings, Path stateDirectory)
      throws IOException, GeneralSecurityException {
    X509Certificate certificate;
    PrivateKey privateKey;
    String origin;
    if (settings.clientKeyStoreFile() != null) {
      Path file = settings.clientKeyStoreFile();
      origin = "clientKeyStoreFile " + file;
      char[] password = settings.clientKeyStorePassword() == null ? new char[0]
          : settings.clientKeyStorePassword().toCharArray();
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keyStore.load(in, password);
      } catch (IOException e) {
        throw new GeneralSecurityException(origin + ": cannot read it as PKCS#12 (" + e.getMessage()
            + "); expected a .p12 file with the client's key and certificate, and its clientKeyStorePassword", e);
      }
      String alias = null;
      for (String candidate : java.util.Collections.list(keyStore.aliases())) {
        if (keyStore.isKeyEntry(candidate)) {
          alias = candidate;
          break;
        }
      }
      if (alias == null || !(keyStore.getKey(alias, password) instanceof PrivateKey key)
          || !(keyStore.getCertificate(alias) instanceof X509Certificate found)) {
        throw new GeneralSecurityException(origin + ": holds no private key entry; expected the client's key and"
            + " certificate");
      }
      privateKey = key;
      certificate = found;
    } else {
      Path certificateFile = settings.clientCertificateFile();
      origin = "clientCertificateFile " + certificateFile;
      try {
        certificate = CertificateUtil.decodeCertificates(Files.readAllBytes(certificateFile)).get(0);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new GeneralSecurityException(origin + ": no such file", e);
      } catch (Exception e) {
        throw new GeneralSecurityException(origin + ": not a PEM or DER X.509 certificate (" + e.getMessage() + ")", e);
      }
      privateKey = PemKeys.readPrivateKey(settings.clientKeyFile());
      origin = origin + " and clientKeyFile " + settings.clientKeyFile();
    }
    if (!(certificate.getPublicKey() instanceof RSAPublicKey publicKey)
        || !(privateKey instanceof RSAPrivateKey rsaKey)) {
      throw new GeneralSecurityException(origin + ": the key is " + privateKey.getAlgorithm()
          + "; OPC UA's RSA security policies need an RSA key and certificate");
    }
    if (!publicKey.getModulus().equals(rsaKey.getModulus())) {
      throw new GeneralSecurityException(origin + ": the private key does not belong to the certificate "
          + certificate.getSubjectX500Principal());
    }
    String files = origin;
    String applicationUri = CertificateUtil.getSanUri(certificate).orElseThrow(() -> new GeneralSecurityException(
        files + ": the certificate has no application URI (a subjectAltName URI such as urn:example:edge:press1);"
            + " OPC UA servers require one"));
    Path derFile = stateDirectory.resolve(CERTIFICATE_DER_FILE);
    writeIfChanged(derFile, certificate.getEncoded());
    writeIfChanged(stateDirectory.resolve(CERTIFICATE_PEM_FILE), pem(certificate));
    return new ClientIdentity(new KeyPair(publicKey, privateKey), certificate, applicationUri, derFile);
  }

  KeyPair keyPair() {
    return keyPair;
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** The application URI in the certificate; the client must announce the same one. */
  String applicationUri() {
    return applicationUri;
  }

  /** The DER file to give the server's administrator. */
  Path certificateFile() {
    return certificateFile;
  }

  /** The SHA-1 thumbprint, in hex, as OPC UA tools show it. */
  String thumbprint() {
    return thumbprint(certificate);
  }

  static String thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(CertificateUtil.thumbprint(certificate).bytesOrEmpty());
    } catch (Exception e) {
      return "(no thumbprint: " + e.getMessage() + ")";
    }
  }

  private static X509Certificate generateCertificate(KeyPair keyPair, String sourceName) throws GeneralSecurityException {
    String safeName = sourceName.replaceAll("[^A-Za-z0-9_-]", "-");
    SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
        .setCommonName("edgeai4j OPC UA source " + safeName)
        .setOrganization("edgeai4j")
        .setApplicationUri("urn:edgeai4j:ingestion:opcua:" + safeName + ":" + UUID.randomUUID())
        .setValidityPeriod(Period.ofYears(10))
        .addDnsName("localhost");
    try {
      String hostname = InetAddress.getLocalHost().getHostName();
      if (!"localhost".equals(hostname)) {
        builder.addDnsName(hostname);
      }
    } catch (IOException e) {
      // The host name is a courtesy for servers that check it; the certificate works without it.
    }
    try {
      return builder.build();
    } catch (GeneralSecurityException e) {
      throw e;
    } catch (Exception e) {
      throw new GeneralSecurityException("could not generate the client certificate: " + e.getMessage(), e);
    }
  }

  /** Keeps the private key readable by its owner only, where the file system has POSIX permissions. */
  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the directory's ACL applies.
    }
  }

  private static byte[] pem(X509Certificate certificate) throws GeneralSecurityException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(certificate.getEncoded());
    return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes through a temporary file and an atomic move, so that whoever copies the file never sees part of it. */
  private static void writeIfChanged(Path file, byte[] content) throws IOException {
    if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), content)) {
      Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        Files.write(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
