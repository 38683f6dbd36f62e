package io.edgeai4j.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseSignaturesTest {
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

  static Stream<Arguments> tamperings() {
    String otherSha = "0".repeat(64);
    return Stream.of("Ed25519", "EC").flatMap(algorithm -> Stream.<UnaryOperator<ModelRelease>>of(
            r -> copy(r, r.name(), r.version() + 1, r.sha256(), r.size()),
            r -> copy(r, r.name(), r.version(), otherSha, r.size()),
            r -> copy(r, r.name(), r.version(), r.sha256(), r.size() - 1),
            r -> copy(r, "other-model", r.version(), r.sha256(), r.size()))
        .map(tamper -> Arguments.of(algorithm, tamper)));
  }

  static ModelRelease copy(ModelRelease r, String name, long version, String sha256, long size) {
    return new ModelRelease(name, version, r.uri(), sha256, size, r.signature(), r.format(), r.target(),
        r.activation());
  }

  @ParameterizedTest
  @MethodSource("tamperings")
  void refusesATamperedRelease(String algorithm, UnaryOperator<ModelRelease> tamper) {
    KeyPair keys = ReleaseSignatures.generate(algorithm);
    ModelRelease tampered = tamper.apply(RELEASE.withSignature(ReleaseSignatures.sign(RELEASE, keys.getPrivate())));
    String keyName = algorithm.equals("EC") ? "EC P-256" : "Ed25519";
    assertThatThrownBy(() -> ReleaseSignatures.verify(tampered, keys.getPublic()))
        .isInstanceOf(SignatureCheckException.class)
        .hasMessage("models." + tampered.name() + ".signature: does not verify with the configured " + keyName
            + " key");
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
