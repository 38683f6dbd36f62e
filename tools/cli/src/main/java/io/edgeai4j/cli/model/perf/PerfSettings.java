package io.edgeai4j.cli.model.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sweep does. Immutable; validated once.
 *
 * @param model A model file ({@code .onnx}, served with the {@code model.json} derived from it) or a version directory
 *     holding {@code model.onnx} (and its {@code model.json}, when it has one).
 * @param concurrency The levels: requests outstanding at all times.
 * @param batching Dynamic batching on (the model's {@code model.json} settings, or the defaults when it has none)
 *     or off (one row per run).
 * @param instances Concurrent runs of the model (its {@code model.json}'s {@code batching.instances} when empty);
 *     1 to 64.
 * @param duration How long each level is measured.
 * @param warmup How long each level runs before it is measured (and before the bare run of each batch size).
 * @param data A data directory in ONNX's test-data layout, or empty for seeded random rows.
 * @param seed The random rows' seed.
 * @param backend The inference backend, e.g. {@code onnxruntime-cpu}.
 */
public record PerfSettings(Path model, ConcurrencyRange concurrency, boolean batching, Optional<Integer> instances,
    Duration duration, Duration warmup, Optional<Path> data, long seed, String backend) {
  /** Validates. */
  public PerfSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(concurrency, "concurrency");
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(backend, "backend");
    if (instances.isPresent() && (instances.get() < 1 || instances.get() > 64)) {
      throw new IllegalArgumentException("--instances must be 1 to 64, found " + instances.get());
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, found " + duration);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative, found " + warmup);
    }
  }
}
