package io.edgeai4j.edgehub.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;

/**
 * The CA and the server certificate (BouncyCastle, EC P-256), generated on first start and kept as PEM files under a
 * directory (keys readable only by the user); reloaded on later starts; the server certificate is re-issued when its
 * names change or it expires within 7 days. Immutable once loaded.
 */
public final class EdgeCertificates {
  private EdgeCertificates() {
  }

  /** serverNames: DNS names and IP literals for the server certificate's SANs (always add localhost, 127.0.0.1, ::1). */
  public static EdgeCertificates loadOrCreate(Path directory, String deviceId, Collection<String> serverNames,
      Clock clock) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** {@code <dir>/edge-ca.pem} (EdgeModuleCACertificateFile, trust bundle). */
  public Path caCertificateFile() {
    throw new UnsupportedOperationException("not yet");
  }

  public String caCertificatePem() {
    throw new UnsupportedOperationException("not yet");
  }

  public PrivateKey serverKey() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The server certificate, then the CA certificate. */
  public X509Certificate[] serverChain() {
    throw new UnsupportedOperationException("not yet");
  }
}
