package io.edgeai4j.ingestion.mqtt;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for the TLS tests, made with BouncyCastle: a private CA, certificates it signs (for the broker,
 * with DNS name {@code localhost} only, and for clients), and their PEM files. EC P-256 keys, so generating
 * them takes milliseconds.
 */
final class TestPki {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A key pair and its certificate, with the certificate that signed it (itself for a CA). */
  record Issued(KeyPair keys, X509Certificate certificate) {
    /** Writes {@code <name>.pem} (the certificate) and {@code <name>.key} (unencrypted PKCS#8) into {@code directory}. */
    Files written(Path directory, String name) throws IOException, GeneralSecurityException {
      java.nio.file.Files.createDirectories(directory);
      Path certificateFile = java.nio.file.Files.writeString(directory.resolve(name + ".pem"),
          pem("CERTIFICATE", certificate.getEncoded()));
      Path keyFile = java.nio.file.Files.writeString(directory.resolve(name + ".key"),
          pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Files(certificateFile, keyFile);
    }
  }

  /** Where {@link Issued#written} put the certificate and the key. */
  record Files(Path certificate, Path key) {
  }

  private TestPki() {
  }

  /** A self-signed CA certificate. */
  static Issued ca(String name) throws Exception {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(keys, sign(builder, keys));
  }

  /** A certificate for {@code commonName} signed by {@code issuer}, naming the DNS names given. */
  static Issued signedBy(Issued issuer, String commonName, String... dnsNames) throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder = builder(new X500Name(issuer.certificate().getSubjectX500Principal().getName()),
        new X500Name("CN=" + commonName), keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    if (dnsNames.length > 0) {
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < dnsNames.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new Issued(keys, sign(builder, issuer.keys()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
