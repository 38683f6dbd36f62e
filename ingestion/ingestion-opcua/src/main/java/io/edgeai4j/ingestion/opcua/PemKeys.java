package io.edgeai4j.ingestion.opcua;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads an unencrypted PEM private key (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}). */
final class PemKeys {
  private PemKeys() {
  }

  /** @throws GeneralSecurityException Naming {@code clientKeyFile} and what it held instead. */
  static PrivateKey readPrivateKey(Path file) throws GeneralSecurityException {
    String origin = "clientKeyFile " + file;
    Object parsed;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      parsed = parser.readObject();
    } catch (NoSuchFileException e) {
      throw new GeneralSecurityException(origin + ": no such file", e);
    } catch (IOException | RuntimeException e) {
      throw new GeneralSecurityException(origin + ": not PEM (" + e.getMessage() + "); expected an unencrypted"
          + " -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- block", e);
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new GeneralSecurityException(origin + ": unreadable key (" + e.getMessage() + ")", e);
    }
    String found = parsed == null ? "no PEM block"
        : parsed instanceof PKCS8EncryptedPrivateKeyInfo ? "an encrypted private key"
        : parsed.getClass().getSimpleName();
    throw new GeneralSecurityException(origin + ": holds " + found + "; expected an unencrypted -----BEGIN PRIVATE"
        + " KEY----- or -----BEGIN RSA PRIVATE KEY----- block (or use a PKCS#12 clientKeyStoreFile)");
  }
}
