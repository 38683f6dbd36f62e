package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything a serialized engine is only valid for, and its stable name in the {@link EngineCache}: the exact
 * TensorRT version, the GPU's name and compute capability, the precision, the optimization profiles (in input-name
 * order, so the order they were given in does not matter), the workspace limit and the sha256 of the model file.
 *
 * <p>The workspace limit is part of the key because it bounds the scratch memory a tactic may use: a larger limit
 * lets TensorRT pick other (faster) tactics, so the same model builds a different engine. The timing cache and the
 * build timeout are not: they change how long a build takes, not which engines are valid. Immutable.
 */
public record EngineCacheKey(TensorRtVersion tensorRt, String gpuName, int computeMajor, int computeMinor,
    Precision precision, List<ShapeProfile> profiles, long workspaceBytes, String modelSha256) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public EngineCacheKey {
    Objects.requireNonNull(tensorRt, "tensorRt");
    Objects.requireNonNull(gpuName, "gpuName");
    Objects.requireNonNull(precision, "precision");
    profiles = profiles.stream().sorted(Comparator.comparing(ShapeProfile::input)).toList();
    if (!SHA256.matcher(modelSha256).matches()) {
      throw new IllegalArgumentException("model sha256 '" + modelSha256 + "', expected 64 lower-case hex digits");
    }
  }

  /** The key of building {@code options} for {@code target}; reads the whole model file to hash it. */
  public static EngineCacheKey of(EngineBuildOptions options, BuildTarget target) throws IOException {
    return new EngineCacheKey(target.tensorRt(), target.gpu().name(), target.gpu().computeMajor(),
        target.gpu().computeMinor(), options.precision(), options.profiles(), options.workspaceBytes(),
        Sha256.of(options.model()));
  }

  /** One {@code name=value} line per field, profiles in input-name order: what {@link #digest()} hashes. */
  public String canonical() {
    StringBuilder b = new StringBuilder()
        .append("tensorrt=").append(tensorRt).append('\n')
        .append("gpu=").append(gpuName).append('\n')
        .append("compute=").append(computeMajor).append('.').append(computeMinor).append('\n')
        .append("precision=").append(precision).append('\n');
    for (ShapeProfile p : profiles) {
      b.append("profile=").append(profileText(p)).append('\n');
    }
    return b.append("workspace=").append(workspaceBytes).append('\n')
        .append("model-sha256=").append(modelSha256).append('\n').toString();
  }

  /** The sha256 of {@link #canonical()} in hex: the cache entry's directory name. Stable across runs and JVMs. */
  public String digest() {
    return Sha256.of(canonical());
  }

  /** {@code input:min=1x3,opt=8x3,max=32x3}: explicit in every part, whether fixed or not. */
  static String profileText(ShapeProfile p) {
    return p.input() + ":min=" + dims(p.min()) + ",opt=" + dims(p.opt()) + ",max=" + dims(p.max());
  }

  private static String dims(long[] d) {
    return Arrays.stream(d).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }

  /** E.g. {@code TensorRT 10.3.0.30, Orin (sm 8.7), FP16, profiles [x:min=1x4,opt=8x4,max=32x4], workspace
   *  1073741824 B, model sha256 3f2a...}. */
  @Override
  public String toString() {
    return "TensorRT " + tensorRt + ", " + gpuName + " (sm " + computeMajor + "." + computeMinor + "), " + precision
        + ", profiles " + profiles.stream().map(EngineCacheKey::profileText).toList() + ", workspace "
        + workspaceBytes + " B, model sha256 " + modelSha256;
  }
}
