package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A plan an {@link EngineBuilder} wrote.
 *
 * @param plan The file holding the serialized engine; the caller owns it (moves or deletes it).
 * @param tensorRt The TensorRT version that built it, as the builder's library reported it.
 * @param buildTime How long the compiler took.
 */
public record BuiltEngine(Path plan, TensorRtVersion tensorRt, Duration buildTime) {
  public BuiltEngine {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(tensorRt, "tensorRt");
    Objects.requireNonNull(buildTime, "buildTime");
  }
}
