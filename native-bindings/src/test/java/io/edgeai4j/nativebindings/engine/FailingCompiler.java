package io.edgeai4j.nativebindings.engine;

import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.tensorrt.TensorRtVersion;

/** A test compiler whose build fails the way TensorRT's does: a {@link NativeBindingException} with a code. */
public final class FailingCompiler implements EngineCompiler {
  @Override
  public TensorRtVersion version() {
    return TensorRtVersion.parse("10.3.0.30");
  }

  @Override
  public byte[] compile(EngineBuildOptions options, BuildProgress progress) throws NativeBindingException {
    progress.update("parsing", 0, 1);
    throw new NativeBindingException("IBuilder.buildSerializedNetwork", 3, "no engine: input 'x' is dynamic"
        + " but has no optimization profile", null);
  }
}
