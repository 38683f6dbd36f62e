package io.edgeai4j.cli.model.trt;

import io.edgeai4j.nativebindings.engine.BuildProgress;
import io.edgeai4j.nativebindings.engine.EngineBuildOptions;
import io.edgeai4j.nativebindings.engine.EngineCompiler;
import io.edgeai4j.nativebindings.tensorrt.ShapeProfile;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The test {@link EngineCompiler} the real builder child runs ({@code -Dedgeai4j.engineCompiler}): reports a parse
 * phase and three build steps, appends one line per build to {@code edgeai4j.test.buildLog} (builds are counted
 * across processes) and returns a plan that spells out the options it was given ({@link #plan}), so a test sees what
 * reached the child. Reports TensorRT {@code edgeai4j.test.tensorrt} (default {@value #VERSION}); a build lasts
 * {@code edgeai4j.test.buildMillis} (default 0).
 */
public final class PlanCompiler implements EngineCompiler {
  /** The TensorRT version it reports by default. */
  public static final String VERSION = "10.3.0.30";

  @Override
  public TensorRtVersion version() {
    return TensorRtVersion.parse(System.getProperty("edgeai4j.test.tensorrt", VERSION));
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) {
    progress.update("parsing " + options.model().getFileName(), 1, 1);
    try {
      String log = System.getProperty("edgeai4j.test.buildLog");
      if (log != null) {
        Files.writeString(Path.of(log), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long millis = Long.getLong("edgeai4j.test.buildMillis", 0);
    for (int step = 1; step <= 3; step++) {
      try {
        Thread.sleep(millis / 3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      progress.update("building", step, 3);
    }
    return plan(options).getBytes(StandardCharsets.UTF_8);
  }

  /** What the plan of {@code options} holds: precision, profiles, workspace, timing cache. */
  public static String plan(EngineBuildOptions options) {
    StringBuilder s = new StringBuilder("plan ").append(options.precision());
    for (ShapeProfile p : options.profiles()) {
      s.append(' ').append(p.input()).append(Arrays.toString(p.min())).append(Arrays.toString(p.opt()))
          .append(Arrays.toString(p.max()));
    }
    return s.append(" workspace ").append(options.workspaceBytes()).append(" timing cache ")
        .append(options.timingCache().map(Path::toString).orElse("none")).toString();
  }
}
