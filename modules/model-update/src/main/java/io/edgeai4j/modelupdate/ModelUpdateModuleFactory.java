package io.edgeai4j.modelupdate;

import io.edgeai4j.module.EdgeModule;
import io.edgeai4j.module.EdgeModuleFactory;

/** Makes {@link ModelUpdateModule}s for images named {@code model-update}. */
public final class ModelUpdateModuleFactory implements EdgeModuleFactory {
  @Override
  public String id() {
    return "model-update";
  }

  @Override
  public String description() {
    return "downloads, verifies, stages, activates and rolls back models named by its twin";
  }

  @Override
  public EdgeModule create() {
    return new ModelUpdateModule();
  }
}
