package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseSignaturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ModelRelease RELEASE = new ModelRelease("fault-classifier", 3,
      URI.create("https://acct.blob.core.windows.net/models/p.zip?sig=a"), ModelReleaseTest.SHA, 182734, null, null,
      null, null);

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void signatureVerifiesAndSurvivesANewUri(String algorithm) throws Exception {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    ModelRelease signed = RELEASE.withSignature(ReleaseSignatures.sign(RELEASE, keys.getPrivate()));
    assertThatCode(() -> ReleaseSignatures.verify(signed, keys.getPublic())).doesNotThrowAnyException();
    ModelRelease renewedSas = new ModelRelease(signed.name(), signed.version(),
        URI.create("https://acct.blob.core.windows.net/models/p.zip?sig=renewed"), signed.sha256(), signed.size(),
        signed.signature(), signed.format(), signed.target(), signed.activation());
    assertThatCode(() -> ReleaseSignatures.verify(renewedSas, keys.getPublic())).doesNotThrowAnyException();
  }

  /** A release with every signed field set: a target, a window, a validity interval, not a rollback. */
  static ModelRelease fullRelease() throws Exception {
    ObjectNode node = ModelReleaseTest.valid();
    node.set("target", JSON.readTree("{\"backend\":\"onnxruntime-cpu\",\"precision\":\"fp32\"}"));
    node.set("activation", JSON.readTree(
        "{\"policy\":\"window\",\"start\":\"02:00\",\"end\":\"04:00\",\"zone\":\"Europe/Berlin\"}"));
    node.put("notBefore", "2027-01-01T00:00:00Z").put("expires", "2027-02-01T00:00:00Z");
    return ModelRelease.fromJson("fault-classifier", node, "models.fault-classifier");
  }

  /**
   * Each row changes one signed field of a signed release (a JSON pointer into the twin's release, or {@code name}
   * for the model's key) to the value given ({@code -} removes it): the signature no longer verifies, for both key
   * algorithms.
   */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      name                 | "other-model"
      /version             | 4
      /version             | 2
      /sha256              | "0000000000000000000000000000000000000000000000000000000000000000"
      /size                | 182733
      /target              | -
      /target/backend      | "onnxruntime-cuda"
      /target/backend      | -
      /target/precision    | "fp16"
      /target/precision    | -
      /activation          | {"policy":"immediate"}
      /activation/start    | "01:00"
      /activation/end      | "05:00"
      /activation/zone     | "UTC"
      /notBefore           | "2026-01-01T00:00:00Z"
      /notBefore           | -
      /expires             | "2099-01-01T00:00:00Z"
      /expires             | -
      /rollback            | true
      """)
  void refusesAReleaseWhoseSignedFieldChanged(String field, String value) throws Exception {
    for (String algorithm : List.of("Ed25519", "EC")) {
      KeyPair keys = ReleaseSignatures.generate(algorithm);
      ModelRelease release = fullRelease();
      ModelRelease signed = release.withSignature(ReleaseSignatures.sign(release, keys.getPrivate()));
      ReleaseSignatures.verify(signed, keys.getPublic());
      String name = signed.name();
      ObjectNode node = signed.toJson();
      if (field.equals("name")) {
        name = JSON.readTree(value).asText();
      } else {
        JsonPointer pointer = JsonPointer.compile(field);
        ObjectNode parent = (ObjectNode) node.at(pointer.head());
        if (value.equals("-")) {
          parent.remove(pointer.last().getMatchingProperty());
        } else {
          parent.set(pointer.last().getMatchingProperty(), JSON.readTree(value));
        }
      }
      ModelRelease tampered = ModelRelease.fromJson(name, node, "models." + name);
      assertThat(tampered.signedStatement()).isNotEqualTo(signed.signedStatement());
      String keyName = algorithm.equals("EC") ? "EC P-256" : "Ed25519";
      assertThatThrownBy(() -> ReleaseSignatures.verify(tampered, keys.getPublic()))
          .as(algorithm).isInstanceOf(SignatureCheckException.class)
          .hasMessage("models." + name + ".signature: does not verify with the configured " + keyName + " key");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void refusesASignatureOverTheOldStatementSayingToSignAgain(String algorithm) throws Exception {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    Signature old = Signature.getInstance(algorithm.equals("EC") ? "SHA256withECDSA" : "Ed25519");
    old.initSign(keys.getPrivate());
    old.update(("edgeai4j-model-release-v1\nname=fault-classifier\nversion=3\nformat=onnx\nsize=182734\nsha256="
        + ModelReleaseTest.SHA + "\n").getBytes(StandardCharsets.UTF_8));
    ModelRelease oldSigned = RELEASE.withSignature(Base64.getEncoder().encodeToString(old.sign()));
    assertThatThrownBy(() -> ReleaseSignatures.verify(oldSigned, keys.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessage("models.fault-classifier.signature: signed over the old statement edgeai4j-model-release-v1,"
            + " which leaves out target, activation, notBefore, expires and rollback (an old release could be"
            + " replayed); expected a signature over edgeai4j-model-release-v2: sign the release again with this"
            + " version's edge model publish --signing-key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void refusesASignatureByAnotherKey(String algorithm) {
    KeyPair signer = ReleaseSignatures.generate(algorithm);
    KeyPair configured = ReleaseSignatures.generate(algorithm);
    ModelRelease signed = RELEASE.withSignature(ReleaseSignatures.sign(RELEASE, signer.getPrivate()));
    assertThatThrownBy(() -> ReleaseSignatures.verify(signed, configured.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessageContaining("does not verify with the configured");
  }

  @Test
  void refusesAnEd25519SignatureUnderAnEcKey() {
    ModelRelease signed = RELEASE.withSignature(
        ReleaseSignatures.sign(RELEASE, ReleaseSignatures.generate("Ed25519").getPrivate()));
    assertThatThrownBy(() -> ReleaseSignatures.verify(signed, ReleaseSignatures.generate("EC").getPublic()))
        .hasMessage("models.fault-classifier.signature: does not verify with the configured EC P-256 key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void refusesAMissingSignatureWhenAKeyIsConfigured(String algorithm) {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    assertThatThrownBy(() -> ReleaseSignatures.verify(RELEASE, keys.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessageMatching("models\\.fault-classifier\\.signature: missing, and a public key \\((Ed25519|EC P-256)"
            + "\\) is configured");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void refusesGarbageThatIsValidBase64(String algorithm) {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    ModelRelease garbage = RELEASE.withSignature(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5}));
    assertThatThrownBy(() -> ReleaseSignatures.verify(garbage, keys.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void refusesAP384Key() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = generator.generateKeyPair();
    ModelRelease signed = RELEASE.withSignature(
        ReleaseSignatures.sign(RELEASE, ReleaseSignatures.generate("EC").getPrivate()));
    assertThatThrownBy(() -> ReleaseSignatures.verify(signed, p384.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessageStartingWith("models.fault-classifier.signature: cannot check, the configured public key is"
            + " unsupported: expected an Ed25519 or EC P-256 (secp256r1) key, found an EC key on a 384-bit curve")
        .hasMessageContaining("secp384r1");
    assertThatThrownBy(() -> ReleaseSignatures.sign(RELEASE, p384.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found an EC key on a 384-bit curve");
    assertThatThrownBy(() -> ReleaseSignatures.readPublicKey(ReleaseSignatures.toPem(p384.getPublic())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secp384r1");
  }

  @Test
  void refusesEd448AndRsaKeys() throws Exception {
    KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
    assertThatThrownBy(() -> ReleaseSignatures.readPublicKey(ReleaseSignatures.toPem(ed448.getPublic())))
        .hasMessage("expected an Ed25519 or EC P-256 (secp256r1) key, found an EdDSA key on Ed448");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPair rsaKeys = rsa.generateKeyPair();
    assertThatThrownBy(() -> ReleaseSignatures.readPrivateKey(ReleaseSignatures.toPem(rsaKeys.getPrivate())))
        .hasMessage("expected an Ed25519 or EC P-256 (secp256r1) key, found a key of algorithm RSA");
    assertThatThrownBy(() -> ReleaseSignatures.verify(RELEASE.withSignature("AAAA"), rsaKeys.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessageEndingWith("found a key of algorithm RSA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ed25519", "EC"})
  void pemRoundTripsAndTheReadKeysStillVerify(String algorithm) {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    String publicPem = ReleaseSignatures.toPem(keys.getPublic());
    String privatePem = ReleaseSignatures.toPem(keys.getPrivate());
    assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(publicPem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
    assertThat(ReleaseSignatures.readPublicKey(publicPem).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(ReleaseSignatures.readPrivateKey(privatePem).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    ModelRelease signed = RELEASE.withSignature(
        ReleaseSignatures.sign(RELEASE, ReleaseSignatures.readPrivateKey(privatePem)));
    assertThatCode(() -> ReleaseSignatures.verify(signed, ReleaseSignatures.readPublicKey(publicPem.replace("\n",
        "\r\n")))).doesNotThrowAnyException();
  }

  @Test
  void pemReadersNameWhatTheyFound() {
    KeyPair keys = ReleaseSignatures.generate("Ed25519");
    assertThatThrownBy(() -> ReleaseSignatures.readPublicKey(ReleaseSignatures.toPem(keys.getPrivate())))
        .hasMessage("expected -----BEGIN PUBLIC KEY-----, found -----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(() -> ReleaseSignatures.readPrivateKey("hello"))
        .hasMessage("expected a PEM block -----BEGIN PRIVATE KEY-----, found 'hello'");
    assertThatThrownBy(() -> ReleaseSignatures.readPublicKey(""))
        .hasMessage("expected a PEM block -----BEGIN PUBLIC KEY-----, found nothing");
    assertThatThrownBy(() -> ReleaseSignatures.readPublicKey(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .hasMessageStartingWith("the PUBLIC KEY PEM block holds no key this JDK can read");
    assertThatThrownBy(() -> ReleaseSignatures.generate("RSA"))
        .hasMessage("expected Ed25519 or EC (P-256), found 'RSA'");
  }
}
