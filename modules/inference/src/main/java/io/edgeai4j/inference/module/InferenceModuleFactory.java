package io.edgeai4j.inference.module;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;

/** Makes {@link InferenceModule}s for images named {@code inference}. */
public final class InferenceModuleFactory implements EdgeModuleFactory {
  @Override
  public String id() {
    return "inference";
  }

  @Override
  public String description() {
    return "serves ONNX models (versions, hot swap, dynamic batching) to infer and features inputs and methods";
  }

  @Override
  public EdgeModule create() {
    return new InferenceModule();
  }
}
