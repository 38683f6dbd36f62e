package io.edgeai4j.modelpackage;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs and verifies model releases: a signature over {@link ModelRelease#signedStatement()} with Ed25519
 * ({@code "Ed25519"}) or ECDSA on P-256 ({@code "SHA256withECDSA"}, DER), base64 in the twin; and reads, writes and
 * generates those keys as PEM (X.509 SubjectPublicKeyInfo, PKCS#8). JDK providers only. Stateless, thread-safe.
 */
public final class ReleaseSignatures {
  private static final String P256_OID = "1.2.840.10045.3.1.7";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----\\s*");
  private static final List<String> ALGORITHMS_TO_NAME = List.of("EC", "EdDSA", "RSA", "DSA", "XDH");

  private ReleaseSignatures() {}

  /**
   * Signs {@code release}'s signed statement.
   *
   * @param key An Ed25519 or EC P-256 private key.
   * @return The signature in base64 (for {@link ModelRelease#withSignature(String)}).
   * @throws IllegalArgumentException When the key is of another algorithm or curve.
   */
  public static String sign(ModelRelease release, PrivateKey key) {
    String algorithm = signatureAlgorithm(key);
    if (algorithm == null) {
      throw new IllegalArgumentException(unsupported(key));
    }
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(release.signedStatementBytes());
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with " + algorithm + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Checks {@code release}'s signature against the configured public key.
   *
   * @param key An Ed25519 or EC P-256 public key.
   * @throws SignatureCheckException When the release has no signature, it is not base64, it does not verify (a
   *     signature over the first format's statement, which covered fewer fields, is refused with a message saying to
   *     sign again), or the key is of an unsupported algorithm or curve; the message starts with
   *     {@code models.<name>.signature}.
   */
  public static void verify(ModelRelease release, PublicKey key) throws SignatureCheckException {
    String path = "models." + release.name() + ".signature";
    String algorithm = signatureAlgorithm(key);
    if (algorithm == null) {
      throw new SignatureCheckException(path + ": cannot check, the configured public key is unsupported: "
          + unsupported(key));
    }
    String keyName = keyName(key);
    if (release.signature() == null) {
      throw new SignatureCheckException(path + ": missing, and a public key (" + keyName + ") is configured");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(release.signature());
    } catch (IllegalArgumentException e) {
      throw new SignatureCheckException(path + ": not base64: " + e.getMessage(), e);
    }
    if (verifies(algorithm, key, keyName, path, release.signedStatementBytes(), bytes)) {
      return;
    }
    if (verifies(algorithm, key, keyName, path, release.statementV1Bytes(), bytes)) {
      throw new SignatureCheckException(path + ": signed over the old statement edgeai4j-model-release-v1, which"
          + " leaves out target, activation, notBefore, expires and rollback (an old release could be replayed);"
          + " expected a signature over " + ModelRelease.STATEMENT_FORMAT + ": sign the release again with this"
          + " version's edge model publish --signing-key");
    }
    throw new SignatureCheckException(path + ": does not verify with the configured " + keyName + " key");
  }

  private static boolean verifies(String algorithm, PublicKey key, String keyName, String path, byte[] statement,
      byte[] signatureBytes) throws SignatureCheckException {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initVerify(key);
      signature.update(statement);
      return signature.verify(signatureBytes);
    } catch (SignatureException e) {
      return false; // a malformed signature (not DER, wrong length) does not verify either
    } catch (InvalidKeyException e) {
      throw new SignatureCheckException(path + ": cannot check with the configured " + keyName + " key: "
          + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available in this JDK: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a {@code -----BEGIN PUBLIC KEY-----} PEM block (X.509 SubjectPublicKeyInfo).
   *
   * @throws IllegalArgumentException When it is not such a block, or holds a key that is not Ed25519 or EC P-256;
   *     the message names what was found.
   */
  public static PublicKey readPublicKey(String pem) {
    byte[] der = pemBody(pem, "PUBLIC KEY");
    return (PublicKey) supportedOrThrow(decode(der, true));
  }

  /**
   * Reads a {@code -----BEGIN PRIVATE KEY-----} PEM block (PKCS#8, unencrypted).
   *
   * @throws IllegalArgumentException When it is not such a block, or holds a key that is not Ed25519 or EC P-256;
   *     the message names what was found.
   */
  public static PrivateKey readPrivateKey(String pem) {
    byte[] der = pemBody(pem, "PRIVATE KEY");
    return (PrivateKey) supportedOrThrow(decode(der, false));
  }

  /**
   * Writes a public key as {@code PUBLIC KEY} (X.509) or a private key as {@code PRIVATE KEY} (PKCS#8) PEM, lines of
   * 64 characters, each ending with {@code \n}.
   *
   * @throws IllegalArgumentException When the key has no such encoding.
   */
  public static String toPem(Key key) {
    String label;
    if (key instanceof PublicKey && "X.509".equals(key.getFormat())) {
      label = "PUBLIC KEY";
    } else if (key instanceof PrivateKey && "PKCS#8".equals(key.getFormat())) {
      label = "PRIVATE KEY";
    } else {
      throw new IllegalArgumentException("expected a public key in X.509 or a private key in PKCS#8 encoding, found a "
          + key.getAlgorithm() + " key in " + key.getFormat());
    }
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * Generates a key pair.
   *
   * @param algorithm {@code "Ed25519"} or {@code "EC"} (P-256).
   * @throws IllegalArgumentException For any other algorithm.
   */
  public static KeyPair generate(String algorithm) {
    try {
      if ("Ed25519".equals(algorithm)) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      if ("EC".equals(algorithm)) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available in this JDK: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("expected Ed25519 or EC (P-256), found '" + algorithm + "'");
  }

  /** The JCA signature algorithm for {@code key}, or null when the key is neither Ed25519 nor EC P-256. */
  static String signatureAlgorithm(Key key) {
    if (key instanceof EdECKey ed && "Ed25519".equals(ed.getParams().getName())) {
      return "Ed25519";
    }
    if (key instanceof ECKey ec && P256_OID.equals(curveOid(ec.getParams()))) {
      return "SHA256withECDSA";
    }
    return null;
  }

  private static String keyName(Key key) {
    return key instanceof EdECKey ? "Ed25519" : "EC P-256";
  }

  private static String unsupported(Key key) {
    String found;
    if (key instanceof EdECKey ed) {
      found = "an EdDSA key on " + ed.getParams().getName();
    } else if (key instanceof ECKey ec) {
      String oid = curveOid(ec.getParams());
      found = "an EC key on a " + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve"
          + (oid == null ? "" : " (" + curveName(ec.getParams(), oid) + ")");
    } else {
      found = "a key of algorithm " + key.getAlgorithm();
    }
    return "expected an Ed25519 or EC P-256 (secp256r1) key, found " + found;
  }

  private static String curveOid(ECParameterSpec params) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(params);
      return parameters.getParameterSpec(ECGenParameterSpec.class).getName();
    } catch (GeneralSecurityException e) {
      return null; // explicit (unnamed) curve parameters
    }
  }

  private static String curveName(ECParameterSpec params, String oid) {
    String text = params.toString(); // the JDK's named curves print "secp384r1 [NIST P-384] (1.3.132.0.34)"
    return text.contains(oid) ? text : "OID " + oid;
  }

  private static Key supportedOrThrow(Key key) {
    if (signatureAlgorithm(key) == null) {
      throw new IllegalArgumentException(unsupported(key));
    }
    return key;
  }

  private static byte[] pemBody(String pem, String expectedLabel) {
    Matcher matcher = PEM.matcher(pem == null ? "" : pem.strip() + "\n");
    if (!matcher.matches()) {
      String firstLine = pem == null || pem.isBlank() ? "nothing" : "'" + pem.strip().lines().findFirst().orElse("")
          + "'";
      throw new IllegalArgumentException("expected a PEM block -----BEGIN " + expectedLabel + "-----, found "
          + firstLine);
    }
    if (!matcher.group(1).equals(expectedLabel)) {
      throw new IllegalArgumentException("expected -----BEGIN " + expectedLabel + "-----, found -----BEGIN "
          + matcher.group(1) + "-----");
    }
    try {
      return Base64.getMimeDecoder().decode(matcher.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + expectedLabel + " PEM block is not base64: " + e.getMessage(), e);
    }
  }

  private static Key decode(byte[] der, boolean publicKey) {
    for (String algorithm : ALGORITHMS_TO_NAME) {
      try {
        KeyFactory factory = KeyFactory.getInstance(algorithm);
        KeySpec spec = publicKey ? new X509EncodedKeySpec(der) : new PKCS8EncodedKeySpec(der);
        return publicKey ? factory.generatePublic(spec) : factory.generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException("the " + (publicKey ? "PUBLIC KEY" : "PRIVATE KEY")
        + " PEM block holds no key this JDK can read (expected Ed25519 or EC P-256 in "
        + (publicKey ? "X.509 SubjectPublicKeyInfo" : "PKCS#8") + ")");
  }
}
