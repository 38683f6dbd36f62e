package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A test compiler run in the real builder child: reports five progress steps and returns a deterministic plan made
 * of the model's sha256 and the options ({@link #expectedPlan}). System properties: {@code edgeai4j.test.tensorrt}
 * (the version it reports, default 10.3.0.30), {@code edgeai4j.test.buildLog} (a file it appends one line to per
 * build, so tests count builds across processes), {@code edgeai4j.test.buildMillis} (how long a build lasts).
 */
public final class FixedPlanCompiler implements EngineCompiler {
  @Override
  public TensorRtVersion version() {
    return TensorRtVersion.parse(System.getProperty("edgeai4j.test.tensorrt", "10.3.0.30"));
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) {
    try {
      progress.update("parsing " + options.model().getFileName(), 0, 1);
      progress.update("parsing " + options.model().getFileName(), 1, 1);
      String log = System.getProperty("edgeai4j.test.buildLog");
      if (log != null) {
        Files.writeString(Path.of(log), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      long millis = Long.getLong("edgeai4j.test.buildMillis", 0);
      for (int step = 1; step <= 3; step++) {
        Thread.sleep(millis / 3);
        progress.update("building", step, 3);
      }
      return expectedPlan(options);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The plan this compiler returns for {@code options}. */
  static byte[] expectedPlan(EngineBuildOptions options) throws IOException {
    return ("plan of " + Sha256.of(options.model()) + " " + options.precision() + " " + options.profiles() + " "
        + options.workspaceBytes()).getBytes(StandardCharsets.UTF_8);
  }
}
