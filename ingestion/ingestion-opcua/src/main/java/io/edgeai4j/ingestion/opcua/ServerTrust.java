package io.edgeai4j.ingestion.opcua;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server certificates the source trusts: the certificate files (DER or PEM) in the configured
 * {@code trustedServerCertificates} directory and in {@code pki/trusted} under the state directory
 * (where a certificate trusted on first use is pinned). The files are read at every validation, so a
 * certificate dropped in takes effect at the next connection attempt. Milo's
 * {@link DefaultClientCertificateValidator} checks the chain; a rejected certificate is copied to
 * {@code pki/rejected} and its description kept for the source's state. Thread-safe.
 */
final class ServerTrust implements CertificateValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ServerTrust.class);

  private final Path configuredDirectory;
  private final Path pinnedDirectory;
  private final Path rejectedDirectory;
  private final boolean trustOnFirstUse;
  private final CertificateQuarantine quarantine;
  private final AtomicReference<String> lastRejection = new AtomicReference<>();

  ServerTrust(Path stateDirectory, Path configuredDirectory, boolean trustOnFirstUse) throws IOException {
    this.configuredDirectory = configuredDirectory;
    this.pinnedDirectory = Files.createDirectories(stateDirectory.resolve("pki").resolve("trusted"));
    this.rejectedDirectory = Files.createDirectories(stateDirectory.resolve("pki").resolve("rejected"));
    this.trustOnFirstUse = trustOnFirstUse;
    this.quarantine = FileBasedCertificateQuarantine.create(rejectedDirectory);
  }

  /** Where certificates trusted on first use are kept; also read as trusted. */
  Path pinnedDirectory() {
    return pinnedDirectory;
  }

  /**
   * With trust on first use, pins the endpoint's certificate when no certificate is trusted yet.
   *
   * @return Whether it pinned one.
   */
  boolean pinOnFirstUse(EndpointDescription endpoint) throws IOException, GeneralSecurityException, UaException {
    if (!trustOnFirstUse || !trustedCertificates().isEmpty()) {
      return false;
    }
    byte[] encoded = endpoint.getServerCertificate().bytesOrEmpty();
    if (encoded.length == 0) {
      return false;
    }
    X509Certificate certificate = CertificateUtil.decodeCertificates(encoded).get(0);
    String thumbprint = ClientIdentity.thumbprint(certificate);
    Files.write(pinnedDirectory.resolve(thumbprint + ".der"), certificate.getEncoded());
    LOG.warn("Trusting the server certificate {} (SHA-1 {}) on first use; it is pinned in {}",
        certificate.getSubjectX500Principal(), thumbprint, pinnedDirectory);
    return true;
  }

  /** The description of the last certificate rejected, then forgets it; null when none was. */
  String takeLastRejection() {
    return lastRejection.getAndSet(null);
  }

  @Override
  public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostNames)
      throws UaException {
    MemoryTrustListManager trustList = new MemoryTrustListManager();
    trustList.setTrustedCertificates(trustedCertificates());
    try {
      new DefaultClientCertificateValidator(trustList, quarantine)
          .validateCertificateChain(chain, applicationUri, validHostNames);
    } catch (UaException e) {
      X509Certificate certificate = chain.get(0);
      lastRejection.set("server certificate rejected: " + StatusNames.name(e.getStatusCode()) + " (subject "
          + certificate.getSubjectX500Principal().getName() + ", SHA-1 thumbprint "
          + ClientIdentity.thumbprint(certificate) + "); to trust it, copy it from " + rejectedDirectory + " into "
          + (configuredDirectory != null ? configuredDirectory : pinnedDirectory));
      throw e;
    }
  }

  /** The certificates in the trusted directories, read now. */
  List<X509Certificate> trustedCertificates() {
    List<X509Certificate> certificates = new ArrayList<>();
    if (configuredDirectory != null) {
      read(configuredDirectory, certificates);
    }
    read(pinnedDirectory, certificates);
    return certificates;
  }

  private static void read(Path directory, List<X509Certificate> into) {
    if (!Files.isDirectory(directory)) {
      LOG.warn("Trusted server certificate directory {} does not exist", directory);
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(file) && (name.endsWith(".der") || name.endsWith(".cer") || name.endsWith(".crt")
            || name.endsWith(".pem"))) {
          try {
            into.addAll(CertificateUtil.decodeCertificates(Files.readAllBytes(file)));
          } catch (IOException | UaException e) {
            LOG.warn("Skipping {}: not a DER or PEM certificate ({})", file, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list trusted server certificates in {}: {}", directory, e.getMessage());
    }
  }
}
