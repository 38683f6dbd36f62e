package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;
import java.io.IOException;

/**
 * A test compiler that dies the way a native crash does: after the phase {@code building} and a line on stderr,
 * {@code edgeai4j.test.crash=halt:N} ends the JVM with exit code N at once ({@code Runtime.halt}, no result line),
 * {@code kill:KILL} sends itself SIGKILL with {@code kill}.
 */
public final class CrashingCompiler implements EngineCompiler {
  @Override
  public TensorRtVersion version() {
    return TensorRtVersion.parse("10.3.0.30");
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) {
    progress.update("building", 1, 3);
    System.err.println("simulated native failure in tactic selection");
    System.err.flush();
    String[] how = System.getProperty("edgeai4j.test.crash", "halt:139").split(":");
    if (how[0].equals("kill")) {
      try {
        new ProcessBuilder("kill", "-" + how[1], Long.toString(ProcessHandle.current().pid())).start().waitFor();
        Thread.sleep(60_000);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    Runtime.getRuntime().halt(Integer.parseInt(how[1]));
    return new byte[0];
  }
}
