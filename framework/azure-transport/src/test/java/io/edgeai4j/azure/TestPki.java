package io.edgeai4j.azure;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and the edgeHub server certificate it signs, for 127.0.0.1 and
 * localhost, made with BouncyCastle. Immutable.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  final X509Certificate caCertificate;
  final X509Certificate serverCertificate;
  final PrivateKey serverKey;

  private TestPki(X509Certificate caCertificate, X509Certificate serverCertificate, PrivateKey serverKey) {
    this.caCertificate = caCertificate;
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
  }

  public static TestPki create() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      Instant now = Instant.now();
      Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
      Date notAfter = Date.from(now.plus(Duration.ofDays(1)));
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

      X500Name caName = new X500Name("CN=edgeai4j test edge CA");
      X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), notBefore, notAfter, caName,
          caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

      X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCertificate, serial(), notBefore, notAfter,
          new X500Name("CN=localhost"), serverKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate serverCertificate = sign(server, caKeys.getPrivate());
      return new TestPki(caCertificate, serverCertificate, serverKeys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot create the test PKI", e);
    }
  }

  /** Returns the CA certificate as PEM, as EdgeModuleCACertificateFile and the trust bundle carry it. */
  public String caPem() {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(caCertificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Writes the CA certificate as PEM into a file in the directory and returns its path. */
  public Path writeCaPem(Path directory) throws IOException {
    return Files.writeString(directory.resolve("edge-ca.pem"), caPem(), StandardCharsets.US_ASCII);
  }

  /** Returns a client TLS context that trusts only this CA. */
  public SSLContext clientContext() throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("edge-ca", caCertificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }
}
