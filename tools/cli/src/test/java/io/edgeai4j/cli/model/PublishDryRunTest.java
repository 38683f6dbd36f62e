package io.edgeai4j.cli.model;

import io.edgeai4j.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.modelpackage.SignatureCheckException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dry-run prints exactly what would be uploaded and sent (golden files), and needs no connection strings. */
class PublishDryRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path root;

  @Test
  void oneDeviceFromARepositoryVersionDirectory() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 3, true);

    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "press-17",
        "--backend", "onnxruntime-cpu", "--precision", "fp32", "--activation", "window", "--window-start", "22:00",
        "--window-end", "02:00", "--window-zone", "Europe/Berlin", "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo(golden("dry-run-device.txt", dir));
  }

  @Test
  void aFleetCanaryWithAGivenUrl() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 4, true);

    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--url",
        "https://models.example.com/fault-classifier/4.zip", "--target-condition", "tags.site='plant-7'",
        "--canary-condition", "tags.ring=0 OR tags.canary=true", "--priority", "30", "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(golden("dry-run-canary.txt", dir));
  }

  @Test
  void thePackageIsTheSameBytesEveryTime() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 3, false);

    CliRun first = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d", "--dry-run");
    CliRun second = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d", "--dry-run");

    assertThat(first.out()).isEqualTo(second.out())
        .contains("sha256 " + Sha256.of(TestModels.packageBytes(dir, root)));
  }

  @Test
  void warnsOnStandardErrorWithoutGoldenSamples() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 3, false);

    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d", "--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("warning: --model-dir: '" + dir + "' has no golden.json");
    assertThat(run.out()).doesNotContain("warning");
  }

  @Test
  void aGivenPackageIsCheckedAndPublishedAsItIs() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 3, true);
    Path zip = root.resolve("fc.zip");
    Files.write(zip, TestModels.packageBytes(dir, root));

    CliRun run = CliRun.of("model", "publish", "--package", zip.toString(), "--version", "9", "--device", "d",
        "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("package: " + zip + ": fault-classifier version 9, " + Files.size(zip)
        + " bytes, sha256 " + Sha256.of(zip));
  }

  @Test
  void aSignedReleaseCoversTheValidityIntervalTheRollbackFlagTargetAndWindow() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 2, true);
    CliRun keygen = CliRun.of("model", "keygen", "--algorithm", "p256", "--out", root.resolve("keys").toString());
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();

    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "press-17",
        "--url", "https://models.example.com/fault-classifier/2.zip",
        "--signing-key", root.resolve("keys/signing-key.pem").toString(), "--backend", "onnxruntime-cpu",
        "--activation", "window", "--window-start", "02:00", "--window-end", "04:00",
        "--not-before", "2027-01-01T01:00:00+01:00", "--expires", "2099-01-01T00:00:00Z", "--rollback", "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("signature: ECDSA P-256 (SHA256withECDSA)");
    String out = run.out();
    ObjectNode printed = (ObjectNode) JSON.readTree(out.substring(out.indexOf("release:") + 8,
        out.indexOf("would patch:")));
    assertThat(printed.get("notBefore").asText()).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(printed.get("expires").asText()).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(printed.get("rollback").asBoolean()).isTrue();
    PublicKey key = ReleaseSignatures.readPublicKey(Files.readString(root.resolve("keys/signing-key.pub.pem")));
    ReleaseSignatures.verify(ModelRelease.fromJson("fault-classifier", printed, "models.fault-classifier"), key);
    ObjectNode notARollback = printed.deepCopy().put("rollback", false);
    assertThatThrownBy(() -> ReleaseSignatures.verify(
        ModelRelease.fromJson("fault-classifier", notARollback, "models.fault-classifier"), key))
        .isInstanceOf(SignatureCheckException.class);
  }

  @Test
  void expiresTakesADurationFromNow() throws Exception {
    Path dir = TestModels.versionDir(root, "fault-classifier", 2, true);
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d", "--expires", "90d",
        "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String out = run.out();
    Instant expires = Instant.parse(JSON.readTree(out.substring(out.indexOf("release:") + 8,
        out.indexOf("would patch:"))).get("expires").asText());
    assertThat(expires).isBetween(before.plus(Duration.ofDays(90)), Instant.now().plus(Duration.ofDays(90)));
  }

  /** The golden file with ${DIR}, ${SIZE} and ${SHA256} of the package publish must build from {@code dir}. */
  private String golden(String name, Path dir) throws IOException {
    byte[] expected = TestModels.packageBytes(dir, root);
    try (InputStream in = PublishDryRunTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${DIR}", dir.toString())
          .replace("${SIZE}", Integer.toString(expected.length))
          .replace("${SHA256}", Sha256.of(expected))
          .replace("\n", System.lineSeparator());
    }
  }
}
