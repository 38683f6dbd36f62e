package io.edgeai4j.cli.model;

import io.edgeai4j.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ModelFormat;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeygenCommandTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ed25519, Ed25519", "p256, EC", "P256, EC"})
  void writesAKeyPairThatSignsAndVerifies(String algorithm, String jcaAlgorithm) throws Exception {
    CliRun run = CliRun.of("model", "keygen", "--algorithm", algorithm, "--out", dir.resolve("keys").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    PrivateKey privateKey =
        ReleaseSignatures.readPrivateKey(Files.readString(dir.resolve("keys/signing-key.pem")));
    PublicKey publicKey = ReleaseSignatures.readPublicKey(Files.readString(dir.resolve("keys/signing-key.pub.pem")));
    assertThat(privateKey.getAlgorithm()).isIn(jcaAlgorithm, "EdDSA");
    ModelRelease release = new ModelRelease("m", 1, URI.create("https://x.example/m.zip"), "a".repeat(64), 10,
        null, ModelFormat.ONNX, null, null);
    ReleaseSignatures.verify(release.withSignature(ReleaseSignatures.sign(release, privateKey)), publicKey);
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/signing-key.pem"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void refusesToOverwriteEitherKey() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("signing-key.pub.pem"), "old");

    CliRun run = CliRun.of("model", "keygen", "--out", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err()).contains("signing-key.pub.pem' exists; refusing to overwrite");
    assertThat(Files.exists(dir.resolve("signing-key.pem"))).isFalse();
    assertThat(Files.readString(dir.resolve("signing-key.pub.pem"))).isEqualTo("old");
  }

  @Test
  void anUnknownAlgorithmIsAUsageError() {
    CliRun run = CliRun.of("model", "keygen", "--algorithm", "rsa", "--out", dir.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--algorithm").contains("rsa");
  }
}
