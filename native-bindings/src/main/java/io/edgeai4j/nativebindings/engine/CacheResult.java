package io.edgeai4j.nativebindings.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link EngineCache#getOrBuild} did, in a form made for metrics and logs: a label per {@link Outcome} and,
 * for a rebuild, per {@link Rebuild} reason.
 *
 * @param key The key looked up.
 * @param plan The valid plan in the cache ({@code <dir>/<digest>/engine.plan}).
 * @param outcome Hit, miss (built) or rebuilt (an entry was there but could not be used).
 * @param rebuiltBecause Why the entry there was not used; empty unless {@link Outcome#REBUILT}.
 * @param detail What was found, e.g. {@code tensorrt: entry 10.3.0.29, wanted 10.3.0.30}; empty for a hit or miss.
 * @param buildTime How long the build took; zero for a hit.
 */
public record CacheResult(EngineCacheKey key, Path plan, Outcome outcome, Optional<Rebuild> rebuiltBecause,
    String detail, Duration buildTime) {
  public CacheResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(rebuiltBecause, "rebuiltBecause");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(buildTime, "buildTime");
  }

  /** Whether the plan came from the cache. */
  public enum Outcome { HIT, MISS, REBUILT }

  /** Why an entry found under the key's digest was removed and built again. */
  public enum Rebuild {
    /** {@code engine.json} is not JSON or lacks a field. */
    UNREADABLE_METADATA,
    /** {@code engine.json} describes another key (TensorRT version, GPU, model hash, ...): a foreign entry. */
    STALE,
    /** {@code engine.plan} is missing. */
    MISSING_PLAN,
    /** {@code engine.plan}'s size or sha256 is not what {@code engine.json} recorded. */
    CORRUPT_PLAN
  }
}
