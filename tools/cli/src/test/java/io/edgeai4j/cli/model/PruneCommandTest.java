package io.edgeai4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.edgeai4j.cli.CliRun;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.optimize.inspect.ModelInspector;
import io.edgeai4j.optimize.onnx.OnnxModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PruneCommandTest {
  /** The committed Fashion-MNIST classifier (32/96/128 filters, 287,658 parameters). */
  static final Path TEACHER = Path.of("../../model-tooling/model-optimization/src/test/resources/fashion-mnist/"
      + "fashion_mnist_cnn.onnx");
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path dir;

  /** The first {@code rows} Fashion-MNIST test images, labelled, through {@code edge model dataset --from-idx}. */
  private Path fashion(int rows) {
    Path out = dir.resolve("fashion-" + rows);
    CliRun run = CliRun.of("model", "dataset", "--from-idx", FASHION.resolve("t10k-images-idx3-ubyte.gz").toString(),
        "--labels", FASHION.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--rows", String.valueOf(rows),
        out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return out;
  }

  @Test
  void structuredPruningWithRecoveryHalvesTheFiltersAndWritesAModelOnnxRuntimeLoads() throws Exception {
    Path out = dir.resolve("pruned.onnx");

    CliRun run = CliRun.of("model", "prune", "--sparsity", "0.5", "--structured", "--recover", "--data",
        fashion(1200).toString(), "--epochs", "1", TEACHER.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // conv1..3 halved, the hidden Gemm halved, the last Gemm (it feeds the Softmax output) kept whole.
    assertThat(run.out()).containsPattern("Conv\\s+32 -> 16").containsPattern("Conv\\s+96 -> 48")
        .containsPattern("Conv\\s+128 -> 64").containsPattern("Gemm\\s+128 -> 64")
        .contains("kept whole: its channels reach Softmax")
        .contains("recovering: fine-tuning on 1,100 rows, validating on 100")
        .containsPattern("recovery: validation top-1 [0-9.]+ % after pruning, epoch 1 [0-9.]+ %")
        .contains("parameters: 287,658 -> ").contains("wrote " + out + "; checked: ONNX Runtime loads it");
    OnnxModelFile.checkLoads(out);
    long after = ModelInspector.inspect(out).parameters();
    // 16*9+16 + 48*16*9+48 + 64*48*9+64 + 64*9*64+64 + 64*10+10
    assertThat(after).isEqualTo(160 + 6960 + 27712 + 36928 + 650);
    assertThat(run.out()).contains("parameters: 287,658 -> 72,410 (0.252x)");
  }

  @Test
  void unstructuredPruningPrintsEachLayersSparsityAndThePackageSize() throws Exception {
    Path out = dir.resolve("sparse.onnx");

    CliRun run = CliRun.of("model", "prune", "--sparsity", "0.8", TEACHER.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("Conv\\s+288\\s+230\\s+79.86%")
        .containsPattern("total\\s+287,264\\s+229,811\\s+80.00%")
        .containsPattern("zipped \\(model package\\): [0-9,]+ -> [0-9,]+ bytes \\(0\\.[0-4][0-9]*x\\)");
    OnnxMl.ModelProto m = OnnxModelFile.read(out);
    assertThat(m.getSerializedSize()).isEqualTo(OnnxModelFile.read(TEACHER).getSerializedSize());
  }

  @Test
  void activationRankingReadsTheCalibrationData() throws Exception {
    Path out = dir.resolve("act.onnx");

    CliRun run = CliRun.of("model", "prune", "--sparsity", "0.25", "--structured", "--by", "activation",
        "--calibration", fashion(200).toString(), TEACHER.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("ranking activations: 2/2 sets");
    assertThat(run.out()).containsPattern("Conv\\s+32 -> 24");

    Path byZeros = dir.resolve("z.onnx");
    CliRun nonzero = CliRun.of("model", "prune", "--sparsity", "0.25", "--structured", "--by", "activation",
        "--activation-statistic", "nonzero", "--calibration", dir.resolve("fashion-200").toString(), TEACHER.toString(),
        byZeros.toString());
    assertThat(nonzero.exitCode()).as(nonzero.err()).isZero();
    assertThat(nonzero.out()).containsPattern("Conv\\s+32 -> 24");
  }

  @Test
  void recoveryFromUnlabelledDataDistilsFromTheUnprunedModel() throws Exception {
    Path unlabelled = dir.resolve("unlabelled");
    CliRun dataset = CliRun.of("model", "dataset", "--from-idx",
        FASHION.resolve("t10k-images-idx3-ubyte.gz").toString(), "--rows", "600", unlabelled.toString());
    assertThat(dataset.exitCode()).as(dataset.err()).isZero();
    Path out = dir.resolve("r.onnx");

    CliRun run = CliRun.of("model", "prune", "--sparsity", "0.5", "--structured", "--recover", "--data",
        unlabelled.toString(), "--epochs", "1", TEACHER.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("recovering: distilling from the unpruned model on 550 unlabelled rows (T 4.0),"
        + " validating on 50").containsPattern("recovery: validation top-1 [0-9.]+ % after pruning, epoch 1 ");
    // Written and checked by ONNX Runtime (writeChecked), with the pruned parameter count.
    assertThat(io.edgeai4j.optimize.inspect.ModelInspector.inspect(out).parameters()).isEqualTo(72_410L);
  }

  @Test
  void foldBatchNormWritesTheConvsWithTheirBatchNormalizationFoldedIn() throws Exception {
    Path model = dir.resolve("bn.onnx");
    io.edgeai4j.optimize.onnx.OnnxModelFile.writeChecked(BatchNormModel.build(), model);
    Path out = dir.resolve("folded.onnx");

    CliRun run = CliRun.of("model", "prune", "--sparsity", "0.5", "--structured", "--fold-batchnorm",
        model.toString(), out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    var before = io.edgeai4j.optimize.inspect.ModelInspector.inspect(model);
    var after = io.edgeai4j.optimize.inspect.ModelInspector.inspect(out);
    assertThat(before.opHistogram()).containsEntry("BatchNormalization", 1);
    assertThat(after.opHistogram()).doesNotContainKey("BatchNormalization").containsEntry("Conv", 1);
    // 8 filters of 9 weights + bias + BN's 4 x 8 + the Gemm 10 x 8 + 10, pruned to 4 filters, BN folded away.
    assertThat(before.parameters()).isEqualTo(8 * 9 + 8 + 4 * 8 + 10 * 8 + 10);
    assertThat(after.parameters()).isEqualTo(4 * 9 + 4 + 10 * 4 + 10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--sparsity 1.0|--sparsity 1.0 is outside [0, 1)",
      "--sparsity 0.5 --by activation|--by and --calibration rank filters for --structured pruning",
      "--sparsity 0.5 --structured --by activation|--by activation needs --calibration DIR",
      "--sparsity 0.5 --structured --global|--global is for unstructured pruning",
      "--sparsity 0.5 --epochs 2|--data, --validation, --epochs and --learning-rate are for --recover",
      "--sparsity 0.5 --recover|--recover needs --data DIR",
      "--sparsity 0.5 --structured --activation-statistic nonzero|--activation-statistic is read only by --by activation",
      "--sparsity 0.5 --structured --by activation --calibration x --activation-statistic zeros|"
          + "--activation-statistic 'zeros': expected mean or nonzero"})
  void contradictoryOptionsAreUsageErrors(String options, String message) throws Exception {
    Path out = dir.resolve("p.onnx");
    String[] args = ("model prune " + options + " " + TEACHER + " " + out).split(" ");

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(message);
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void aMissingInputAndAnExistingOutputAreNamed() throws Exception {
    Path out = dir.resolve("exists.onnx");
    Files.writeString(out, "x");

    CliRun missing = CliRun.of("model", "prune", "--sparsity", "0.5", dir.resolve("no.onnx").toString(),
        dir.resolve("o.onnx").toString());
    CliRun exists = CliRun.of("model", "prune", "--sparsity", "0.5", TEACHER.toString(), out.toString());

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("INPUT.onnx: '" + dir.resolve("no.onnx") + "' is not a file");
    assertThat(exists.exitCode()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(exists.err()).contains("exists; refusing to overwrite it (--force)");
  }
}
