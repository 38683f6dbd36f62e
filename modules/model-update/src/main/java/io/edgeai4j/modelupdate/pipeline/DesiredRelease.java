package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelupdate.state.ModelState;

/**
 * What a worker works towards: the desired release (null once refused or unmanaged) and the settings last given
 * with it. Written by {@link UpdateDriver}, read by the steps; unlike {@link ModelState} it is not persisted (the
 * twin gives it again at a restart). Owned by {@link ModelWorker}. Not thread-safe: the worker's thread only.
 */
final class DesiredRelease {
  private ModelRelease release;
  private UpdateSettings settings;

  ModelRelease release() {
    return release;
  }

  void release(ModelRelease desired) {
    this.release = desired;
  }

  UpdateSettings settings() {
    return settings;
  }

  void settings(UpdateSettings updateSettings) {
    this.settings = updateSettings;
  }
}
