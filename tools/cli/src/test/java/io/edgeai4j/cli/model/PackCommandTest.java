package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.modelpackage.UnpackedPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {
  @TempDir Path dir;

  @Test
  void writesThePackagePublishWouldUploadAndPrintsItsHash() throws Exception {
    Path version = TestModels.versionDir(dir.resolve("repo"), "m", 2, true);
    Path out = dir.resolve("out/m-2.zip");

    CliRun run = CliRun.of("model", "pack", "--model-dir", version.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(TestModels.packageBytes(version, dir));
    assertThat(run.out()).contains(out + ", " + Files.size(out) + " bytes, sha256 " + Sha256.of(out));
    assertThat(run.err()).isEmpty();
    UnpackedPackage unpacked = ModelPackage.unpack(out, dir.resolve("unpacked"), 1 << 20);
    assertThat(unpacked.golden()).isNotNull();

    CliRun again = CliRun.of("model", "pack", "--model-dir", version.toString(), "--out", out.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(again.err()).contains("exists; refusing to overwrite it");
  }

  @Test
  void warnsWithoutGoldenSamplesAndRefusesADirectoryWithoutAModel() throws Exception {
    Path version = TestModels.versionDir(dir.resolve("repo"), "m", 1, false);
    CliRun run = CliRun.of("model", "pack", "--model-dir", version.toString(), "--out", dir.resolve("a.zip").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("warning: no golden.json").contains("no golden check");

    Files.delete(version.resolve("model.onnx"));
    CliRun missing = CliRun.of("model", "pack", "--model-dir", version.toString(), "--out",
        dir.resolve("b.zip").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.DATA_ERROR);
    assertThat(missing.err()).contains("holds no model.onnx");
    assertThat(dir.resolve("b.zip")).doesNotExist();
  }
}
