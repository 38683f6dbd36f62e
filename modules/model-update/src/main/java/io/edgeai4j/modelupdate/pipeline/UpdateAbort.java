package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up a version the worker was preparing: ends the update {@code failed}, or drops a staged version that will
 * not be activated any more, deleting what was prepared for it outside the repository (staging, staged). Owned by
 * {@link ModelWorker}; holds nothing to close. Not thread-safe: the worker's thread only, like the state it changes.
 */
final class UpdateAbort {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final VersionDirectories directories;
  private final WorkerState state;
  private final Clock clock;

  UpdateAbort(String model, VersionDirectories directories, WorkerState state, Clock clock) {
    this.model = model;
    this.directories = directories;
    this.state = state;
    this.clock = clock;
  }

  /** Ends the update of {@code r} {@code failed}, for {@code reason}. */
  void fail(ModelRelease r, String reason) {
    LOG.warn("Model {}: version {} failed: {}", model, r.version(), reason);
    try {
      directories.clearStaging(r.version());
      directories.discardStaged(r.version());
    } catch (IOException e) {
      LOG.warn("Model {}: cannot clear staging: {}", model, e.toString());
    }
    state.set(state.get().to(UpdateState.FAILED, clock.instant(), r.version(), r.toJson()).withReason(reason), true);
  }

  /** A staged version that will not be activated any more: its directory (outside the repository) is deleted. */
  void discardStagedVersion() {
    if (state.get().state() == UpdateState.STAGED && state.get().desiredVersion() != null) {
      try {
        directories.discardStaged(state.get().desiredVersion());
      } catch (IOException e) {
        LOG.warn("Model {}: cannot delete staged version {}: {}", model, state.get().desiredVersion(), e.toString());
      }
    }
  }
}
