package io.edgeai4j.nativebindings.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeai4j.nativebindings.cuda.GpuInfo;
import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineCacheKeyTest {
  private static final String SHA = "a".repeat(64);
  private static final ShapeProfile X = new ShapeProfile("x", new long[] {1, 4}, new long[] {8, 4},
      new long[] {32, 4});
  private static final ShapeProfile Y = ShapeProfile.fixed("y", 1, 3);

  private static EngineCacheKey base() {
    return new EngineCacheKey(TensorRtVersion.parse("10.3.0.30"), "Orin", 8, 7, Precision.FP16, List.of(X, Y),
        1L << 30, SHA);
  }

  private static EngineCacheKey changed(String field) {
    EngineCacheKey b = base();
    return switch (field) {
      case "tensorrt major" -> new EngineCacheKey(TensorRtVersion.parse("11.3.0.30"), b.gpuName(), 8, 7,
          b.precision(), b.profiles(), b.workspaceBytes(), SHA);
      case "tensorrt build" -> new EngineCacheKey(TensorRtVersion.parse("10.3.0.31"), b.gpuName(), 8, 7,
          b.precision(), b.profiles(), b.workspaceBytes(), SHA);
      case "gpu name" -> new EngineCacheKey(b.tensorRt(), "Orin Nano", 8, 7, b.precision(), b.profiles(),
          b.workspaceBytes(), SHA);
      case "compute major" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 9, 7, b.precision(), b.profiles(),
          b.workspaceBytes(), SHA);
      case "compute minor" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 6, b.precision(), b.profiles(),
          b.workspaceBytes(), SHA);
      case "precision" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, Precision.INT8, b.profiles(),
          b.workspaceBytes(), SHA);
      case "profile max" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(),
          List.of(new ShapeProfile("x", new long[] {1, 4}, new long[] {8, 4}, new long[] {64, 4}), Y),
          b.workspaceBytes(), SHA);
      case "profile opt" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(),
          List.of(new ShapeProfile("x", new long[] {1, 4}, new long[] {16, 4}, new long[] {32, 4}), Y),
          b.workspaceBytes(), SHA);
      case "profile input" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(),
          List.of(X, ShapeProfile.fixed("z", 1, 3)), b.workspaceBytes(), SHA);
      case "profile removed" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(), List.of(X),
          b.workspaceBytes(), SHA);
      case "workspace" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(), b.profiles(),
          1L << 31, SHA);
      case "model sha256" -> new EngineCacheKey(b.tensorRt(), b.gpuName(), 8, 7, b.precision(), b.profiles(),
          b.workspaceBytes(), "b" + SHA.substring(1));
      default -> throw new IllegalArgumentException(field);
    };
  }

  @ParameterizedTest(name = "{0} changes the digest")
  @CsvSource({"tensorrt major", "tensorrt build", "gpu name", "compute major", "compute minor", "precision",
      "profile max", "profile opt", "profile input", "profile removed", "workspace", "model sha256"})
  void eachFieldChangesTheDigest(String field) {
    assertThat(changed(field).digest()).isNotEqualTo(base().digest());
    assertThat(changed(field)).isNotEqualTo(base());
  }

  @Test
  void equalInputsGiveEqualDigestsAndProfileOrderDoesNotMatter() {
    EngineCacheKey reordered = new EngineCacheKey(TensorRtVersion.parse("10.3.0.30"), "Orin", 8, 7, Precision.FP16,
        List.of(Y, X), 1L << 30, SHA);
    assertThat(reordered).isEqualTo(base());
    assertThat(reordered.digest()).isEqualTo(base().digest()).matches("[0-9a-f]{64}");
  }

  @Test
  void digestIsTheSha256OfAStableCanonicalForm() {
    assertThat(base().canonical()).isEqualTo("""
        tensorrt=10.3.0.30
        gpu=Orin
        compute=8.7
        precision=FP16
        profile=x:min=1x4,opt=8x4,max=32x4
        profile=y:min=1x3,opt=1x3,max=1x3
        workspace=1073741824
        model-sha256=%s
        """.formatted(SHA));
    assertThat(base().digest()).isEqualTo(Sha256.of(base().canonical()));
  }

  @Test
  void toStringIsReadable() {
    assertThat(base().toString()).isEqualTo("TensorRT 10.3.0.30, Orin (sm 8.7), FP16, profiles "
        + "[x:min=1x4,opt=8x4,max=32x4, y:min=1x3,opt=1x3,max=1x3], workspace 1073741824 B, model sha256 " + SHA);
  }

  @Test
  void ofHashesTheModelFileBytes(@TempDir Path dir) throws Exception {
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    BuildTarget target = new BuildTarget(TensorRtVersion.parse("10.3.0.30"),
        new GpuInfo(0, "Orin", 8, 7, true, 8L << 30));
    EngineBuildOptions options = EngineBuildOptions.builder(model).build();
    EngineCacheKey before = EngineCacheKey.of(options, target);
    // sha256 of the bytes 01 02 03
    assertThat(before.modelSha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    Files.write(model, new byte[] {1, 2, 4});
    assertThat(EngineCacheKey.of(options, target).digest()).isNotEqualTo(before.digest());
  }

  @Test
  void refusesAModelHashThatIsNotSha256Hex() {
    assertThatThrownBy(() -> new EngineCacheKey(TensorRtVersion.parse("10.3"), "Orin", 8, 7, Precision.FP32,
        List.of(), 1L << 30, "ABC"))
        .hasMessage("model sha256 'ABC', expected 64 lower-case hex digits");
  }
}
