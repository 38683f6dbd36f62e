package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;

/** A test compiler that reports the phase {@code building} and then never finishes (for the timeout). */
public final class SleepingCompiler implements EngineCompiler {
  @Override
  public TensorRtVersion version() {
    return TensorRtVersion.parse("10.3.0.30");
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) {
    progress.update("building", 0, 1);
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("woke up");
  }
}
