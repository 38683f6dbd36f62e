package io.edgeai4j.modelupdate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an event about the desired release does: a new release begins at the download, the release the
 * persisted state answers (a renewed URI aside) resumes at the step the state names, a refused release ends
 * {@code failed} and a model removed from the twin is left as it is, {@code unmanaged}.
 *
 * <p>Owned by {@link ModelWorker}; holds nothing to close. Not thread-safe: the worker's thread only; an event
 * superseded meanwhile (the generation, bumped by the worker's callers, moved on) does nothing.
 */
final class UpdateDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final VersionDirectories directories;
  private final WorkerState state;
  private final DesiredRelease desired;
  private final Clock clock;
  private final LongSupplier generation;
  private final ReleasePipeline pipeline;
  private final Activator activator;
  private final UpdateAbort abort;

  UpdateDriver(String model, VersionDirectories directories, WorkerState state, DesiredRelease desired, Clock clock,
      LongSupplier generation, ReleasePipeline pipeline, Activator activator, UpdateAbort abort) {
    this.model = model;
    this.directories = directories;
    this.state = state;
    this.desired = desired;
    this.clock = clock;
    this.generation = generation;
    this.pipeline = pipeline;
    this.activator = activator;
    this.abort = abort;
  }

  void onDesired(ModelRelease release, UpdateSettings updateSettings, long g) {
    desired.settings(updateSettings);
    if (generation.getAsLong() != g) {
      return;
    }
    desired.release(release);
    boolean renewedUri = answers(state.get(), release) && !release.toJson().equals(state.get().release());
    if (renewedUri && state.get().state() == UpdateState.FAILED) {
      // A renewed SAS URL for a failed release: a new attempt (a kept .part resumes).
      LOG.info("Model {}: version {} failed before; its URI changed, trying again", model, release.version());
      begin(release, g);
    } else if (answers(state.get(), release) && failedOnSignatureBefore(release, updateSettings)) {
      // The key or allowUnsignedReleases changed since: the checks run again.
      LOG.info("Model {}: version {} failed its signature check before; the settings changed, checking again", model,
          release.version());
      begin(release, g);
    } else if (answers(state.get(), release) && state.get().state() == UpdateState.FAILED
        && failedOnlyForAPassingReason(state.get().reason())) {
      // Failed by an earlier version of this module, which gave up after a few retries or on a full disk: retried
      // now (a kept .part resumes), since such failures pass.
      LOG.info("Model {}: version {} failed before for a reason that may pass ({}); retrying", model,
          release.version(), state.get().reason());
      begin(release, g);
    } else if (answers(state.get(), release)) {
      if (renewedUri) {
        // Only the URI changed (a renewed SAS URL): remember it for a resumed download.
        state.set(state.get().withRelease(release.toJson()), false, false);
      }
      resume(g);
    } else {
      begin(release, g);
    }
  }

  /** Whether the release failed its signature check, and would now fail for another reason or pass. */
  private boolean failedOnSignatureBefore(ModelRelease release, UpdateSettings updateSettings) {
    ModelState s = state.get();
    return s.state() == UpdateState.FAILED && s.reason() != null
        && s.reason().startsWith("models." + model + ".signature:")
        && !s.reason().equals(ReleaseChecks.signatureProblem(release, updateSettings));
  }

  /**
   * Whether a {@code failed} reason is one that earlier versions of this module wrote for a failure that is now
   * retried: retries exhausted, too little free space before the download or before unpacking, a full disk while
   * writing the download.
   */
  static boolean failedOnlyForAPassingReason(String reason) {
    if (reason == null) {
      return false;
    }
    boolean diskFull = reason.startsWith("download: writing ")
        && (reason.contains("No space left on device") || reason.contains("Disk quota exceeded"));
    return reason.startsWith("download: download failed after ") || reason.startsWith("download: free space: ")
        || reason.startsWith("unpack: free space: ") || diskFull;
  }

  /** Whether {@code s} is about {@code release} (the same release but for its URI). */
  private static boolean answers(ModelState s, ModelRelease release) {
    if (s.state() == UpdateState.UNMANAGED || s.release() == null || !s.release().isObject()
        || s.desiredVersion() == null
        || s.desiredVersion() != release.version()) {
      return false;
    }
    ObjectNode before = s.release().deepCopy();
    ObjectNode now = release.toJson();
    before.remove("uri");
    now.remove("uri");
    return before.equals(now);
  }

  private void resume(long g) {
    switch (state.get().state()) {
      case DOWNLOADING, RETRYING, VERIFYING -> pipeline.run(g);
      case STAGED -> {
        // Checked again at once with the settings just given (a key configured since it was staged), not only
        // when its window opens.
        activator.cancelTimer();
        activator.tryActivate();
      }
      case ACTIVATING -> {
        if (!activator.waiting()) {
          LOG.info("Model {}: asking again for version {} (request {})", model, state.get().desiredVersion(),
              state.get().requestId());
          activator.handOver(state.get().requestId());
        }
      }
      default -> { }
    }
  }

  private void begin(ModelRelease release, long g) {
    activator.cancelTimer();
    abort.discardStagedVersion();
    try {
      // Parts of other bytes published under this version (an overwritten release) must not be resumed.
      directories.discardParts(release.version(), release.sha256());
      // Parts of versions no longer desired would never be resumed.
      directories.discardPartsOfOtherVersions(release.version());
    } catch (IOException e) {
      LOG.warn("Model {}: cannot delete old downloads of version {}: {}", model, release.version(), e.toString());
    }
    // Even the version the inference module serves goes through the hand-over (it answers active at once): only
    // its reply may say what serves.
    Instant now = clock.instant();
    state.set(state.get().to(UpdateState.DOWNLOADING, now, release.version(), release.toJson())
        .withProgress(0, release.size()), false);
    pipeline.run(g);
  }

  void onRefused(Long version, String reason) {
    activator.cancelTimer();
    abort.discardStagedVersion();
    desired.release(null);
    if (state.get().state() == UpdateState.FAILED && Objects.equals(state.get().desiredVersion(), version)
        && reason.equals(state.get().reason()) && state.get().release() == null) {
      return;
    }
    state.set(state.get().to(UpdateState.FAILED, clock.instant(), version, null).withReason(reason), true);
  }

  void onUnmanaged() {
    activator.cancelTimer();
    abort.discardStagedVersion();
    desired.release(null);
    if (state.get().state() != UpdateState.UNMANAGED) {
      state.set(state.get().to(UpdateState.UNMANAGED, clock.instant(), null, null), false);
    }
  }
}
