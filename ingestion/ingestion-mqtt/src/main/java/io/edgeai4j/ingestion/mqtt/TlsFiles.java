package io.edgeai4j.ingestion.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS socket factory of an {@code ssl://} source from its PEM files: the CA certificates that
 * sign the broker's certificate ({@code caFile}; else the JVM's default trust store) and the client's
 * certificate and key ({@code certFile}, {@code keyFile}). The files are read at every connection attempt,
 * so a renewed certificate is used from the next attempt on. Stateless; thread-safe.
 */
final class TlsFiles {
  private static final Pattern PEM_KEY = Pattern.compile(
      "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private TlsFiles() {
  }

  /** A file the source cannot use; the message names the setting, the file and what was expected. */
  static final class UnusableFileException extends Exception {
    UnusableFileException(String message) {
      super(message, null, false, false);
    }
  }

  /** The socket factory for the settings' TLS files. */
  static SSLSocketFactory socketFactory(MqttSourceSettings settings) throws UnusableFileException {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (settings.caFile() == null) {
        trust.init((KeyStore) null);
      } else {
        KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
        cas.load(null, null);
        List<X509Certificate> certificates = certificates("caFile", settings.caFile());
        for (int i = 0; i < certificates.size(); i++) {
          cas.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        trust.init(cas);
      }
      KeyManagerFactory keys = null;
      if (settings.certFile() != null) {
        List<X509Certificate> chain = certificates("certFile", settings.certFile());
        PrivateKey key = privateKey(settings.keyFile(), chain.get(0));
        KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
        identity.load(null, null);
        identity.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, NO_PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new UnusableFileException("cannot set up TLS: " + e);
    }
  }

  private static List<X509Certificate> certificates(String setting, Path file) throws UnusableFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (NoSuchFileException e) {
      throw new UnusableFileException(setting + " " + file + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw new UnusableFileException(setting + " " + file + ": not PEM certificates (" + e.getMessage()
          + "); expected -----BEGIN CERTIFICATE----- blocks");
    }
    if (certificates.isEmpty()) {
      throw new UnusableFileException(setting + " " + file + ": holds no certificate; expected -----BEGIN"
          + " CERTIFICATE----- blocks");
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, X509Certificate certificate) throws UnusableFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new UnusableFileException("keyFile " + file + ": no such file");
    } catch (IOException e) {
      throw new UnusableFileException("keyFile " + file + ": unreadable (" + e + ")");
    }
    Matcher matcher = PEM_KEY.matcher(text);
    if (!matcher.find()) {
      throw new UnusableFileException("keyFile " + file + ": holds no PEM private key; expected an unencrypted"
          + " PKCS#8 -----BEGIN PRIVATE KEY----- block");
    }
    if (!matcher.group(1).isEmpty()) {
      throw new UnusableFileException("keyFile " + file + ": holds a " + matcher.group(1).strip() + " PRIVATE KEY"
          + " block; expected an unencrypted PKCS#8 -----BEGIN PRIVATE KEY----- block (convert it with"
          + " `openssl pkcs8 -topk8 -nocrypt -in <key> -out <key>.pk8`)");
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
      PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!belongsTo(key, certificate)) {
        throw new UnusableFileException("keyFile " + file + ": the private key does not belong to certFile's"
            + " certificate " + certificate.getSubjectX500Principal());
      }
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UnusableFileException("keyFile " + file + ": not an " + algorithm + " private key matching certFile ("
          + e.getMessage() + ")");
    }
  }

  /** Signs a probe with the key and checks it with the certificate (RSA and EC; other kinds are not checked). */
  private static boolean belongsTo(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    byte[] probe = "edgeai4j key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
