package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.Precision;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an engine is built from and how: the ONNX model, the precision, one optimization profile per dynamic input,
 * the builder's workspace limit, a persisted timing cache and the time the child process may take. Immutable,
 * validated once by its builder.
 */
public final class EngineBuildOptions {
  /** The default workspace limit: 1 GiB. */
  public static final long DEFAULT_WORKSPACE_BYTES = 1L << 30;
  /** The default time an engine build may take: 30 minutes (INT8 builds on a Jetson Orin Nano take minutes). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final Path model;
  private final Precision precision;
  private final List<ShapeProfile> profiles;
  private final long workspaceBytes;
  private final Path timingCache;
  private final Duration timeout;

  private EngineBuildOptions(Builder b) {
    this.model = b.model;
    this.precision = b.precision;
    this.profiles = List.copyOf(b.profiles);
    this.workspaceBytes = b.workspaceBytes;
    this.timingCache = b.timingCache;
    this.timeout = b.timeout;
  }

  public static Builder builder(Path model) {
    return new Builder(model);
  }

  public Path model() {
    return model;
  }

  public Precision precision() {
    return precision;
  }

  /** One per input whose shape is not fixed in the model; empty when every input is fixed. */
  public List<ShapeProfile> profiles() {
    return profiles;
  }

  public long workspaceBytes() {
    return workspaceBytes;
  }

  /** The timing cache file, read before the build when it exists and written after it. */
  public Optional<Path> timingCache() {
    return Optional.ofNullable(timingCache);
  }

  public Duration timeout() {
    return timeout;
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder(model).precision(precision).workspaceBytes(workspaceBytes).timeout(timeout);
    profiles.forEach(b::profile);
    return timingCache == null ? b : b.timingCache(timingCache);
  }

  @Override
  public String toString() {
    return "EngineBuildOptions[" + model + ", " + precision + ", profiles " + profiles + ", workspace "
        + workspaceBytes + " B, timing cache " + timingCache + ", timeout " + timeout + "]";
  }

  /** Builds {@link EngineBuildOptions}; defaults: FP32, no profiles, 1 GiB workspace, no timing cache, 30 min. */
  public static final class Builder {
    private final Path model;
    private Precision precision = Precision.FP32;
    private final List<ShapeProfile> profiles = new ArrayList<>();
    private long workspaceBytes = DEFAULT_WORKSPACE_BYTES;
    private Path timingCache;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(Path model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    public Builder precision(Precision precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    public Builder profile(ShapeProfile profile) {
      profiles.add(Objects.requireNonNull(profile, "profile"));
      return this;
    }

    public Builder workspaceBytes(long workspaceBytes) {
      this.workspaceBytes = workspaceBytes;
      return this;
    }

    public Builder timingCache(Path timingCache) {
      this.timingCache = Objects.requireNonNull(timingCache, "timingCache");
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** @throws IllegalArgumentException Naming the option: a workspace below 1 MiB, a non-positive timeout, two
     *     profiles for one input. */
    public EngineBuildOptions build() {
      if (workspaceBytes < (1L << 20)) {
        throw new IllegalArgumentException("workspace " + workspaceBytes + " bytes, expected at least 1 MiB (1048576)");
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout " + timeout + ", expected a positive duration");
      }
      Set<String> inputs = new HashSet<>();
      for (ShapeProfile p : profiles) {
        if (!inputs.add(p.input())) {
          throw new IllegalArgumentException("two shape profiles for input '" + p.input() + "'");
        }
      }
      return new EngineBuildOptions(this);
    }
  }
}
