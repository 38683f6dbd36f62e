package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activates a staged version: waits for the release's activation window, puts the version into the repository (every
 * newer one to the archive), asks the inference module to serve it, asks again after each activation timeout until
 * it answers, and takes the answer: {@code active} (older versions pruned by {@link VersionRetention}) or
 * {@code rolledBack} (the version out of the repository again, the one still serving back in).
 *
 * <p>Owned by {@link ModelWorker}; owns the window or retry timer, which runs on the worker's thread and ends with
 * it. Not thread-safe: the worker's thread only, the timer's callbacks included.
 */
final class Activator {
  /** The longest a window's next opening is waited for in one go (clock changes are noticed after it). */
  static final Duration MAX_WINDOW_WAIT = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final VersionDirectories directories;
  private final WorkerState state;
  private final DesiredRelease desired;
  private final ModelWorker.Events events;
  private final WorkerThread thread;
  private final Clock clock;
  private final UpdateAbort abort;
  private final VersionRetention retention;

  private ScheduledFuture<?> timer;

  Activator(String model, VersionDirectories directories, WorkerState state, DesiredRelease desired,
      ModelWorker.Events events, WorkerThread thread, Clock clock, UpdateAbort abort, VersionRetention retention) {
    this.model = model;
    this.directories = directories;
    this.state = state;
    this.desired = desired;
    this.events = events;
    this.thread = thread;
    this.clock = clock;
    this.abort = abort;
    this.retention = retention;
  }

  /** Whether a window or retry timer is pending. */
  boolean waiting() {
    return timer != null;
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /**
   * Hands the staged version over now when its window is open, else when it opens, but not before its
   * {@code notBefore}; first checks it again ({@link ReleaseChecks#beforeActivation}: the key may have been configured
   * after it was staged, it may have expired meanwhile), and a failed check ends the update {@code failed}.
   */
  void tryActivate() {
    Instant now = clock.instant();
    try {
      ReleaseChecks.beforeActivation(desired.release(), desired.settings(), now);
    } catch (UpdateFailure e) {
      abort.fail(desired.release(), e.getMessage());
      return;
    }
    Instant notBefore = desired.release().notBefore();
    if (notBefore != null && now.isBefore(notBefore)) {
      LOG.info("Model {}: version {} staged, not to be activated before {}", model, desired.release().version(),
          notBefore);
      waitAndTryAgain(Duration.between(now, notBefore));
      return;
    }
    if (desired.release().activation().isOpen(now)) {
      handOver(UUID.randomUUID().toString());
      return;
    }
    LOG.info("Model {}: version {} staged, activation window opens at {}", model, desired.release().version(),
        desired.release().activation().nextOpening(now));
    waitAndTryAgain(Duration.between(now, desired.release().activation().nextOpening(now)));
  }

  /** Tries again after {@code wait}, at most {@link #MAX_WINDOW_WAIT} (clock changes are noticed after it). */
  private void waitAndTryAgain(Duration wait) {
    if (wait.compareTo(MAX_WINDOW_WAIT) > 0) {
      wait = MAX_WINDOW_WAIT;
    }
    timer = thread.schedule(() -> {
      timer = null;
      if (state.get().state() == UpdateState.STAGED && desired.release() != null) {
        tryActivate();
      }
    }, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
  }

  /**
   * Enters {@code activating} (written first, so that a restart at any point after it moves the version in again
   * and resends), puts the desired version into the repository (staged or archived copy; already there after a
   * restart) and moves every newer version to the archive, then asks the inference module to serve it. A
   * file-system failure ends the update {@code failed}, the version taken out of the repository again when it got
   * in.
   */
  void handOver(String requestId) {
    if (state.get().state() != UpdateState.ACTIVATING || !requestId.equals(state.get().requestId())) {
      state.set(state.get().to(UpdateState.ACTIVATING, clock.instant(), state.get().desiredVersion(),
          state.get().release()).withRequestId(requestId), false);
    }
    long v = state.get().desiredVersion();
    boolean wasInRepository = Files.isDirectory(directories.served(v));
    try {
      directories.install(v);
      archiveNewerThan(v);
    } catch (IOException e) {
      String reason = "repository: cannot put version " + v + " into " + directories.served(v) + ": " + e;
      try {
        if (!wasInRepository && Files.isDirectory(directories.served(v))) {
          directories.archive(v);
        }
      } catch (IOException again) {
        reason += "; and it could not be taken out again: " + again;
      }
      abort.fail(desired.release(), reason);
      return;
    }
    sendActivation(requestId);
  }

  private void archiveNewerThan(long version) throws IOException {
    for (long newer : directories.inRepository().tailSet(version, false)) {
      LOG.info("Model {}: version {} moved to the archive (version {} is desired)", model, newer, version);
      directories.archive(newer);
    }
  }

  private void sendActivation(String requestId) {
    if (state.get().state() != UpdateState.ACTIVATING || !requestId.equals(state.get().requestId())) {
      state.set(state.get().to(UpdateState.ACTIVATING, clock.instant(), state.get().desiredVersion(),
          state.get().release()).withRequestId(requestId), false);
    }
    long v = state.get().desiredVersion();
    try {
      events.activate(requestId, model, v);
    } catch (Exception e) {
      LOG.warn("Model {}: activation request for version {} not sent ({}); sending again in {} ms", model, v,
          e.toString(), desired.settings().activationTimeout().toMillis());
    }
    timer = thread.schedule(() -> {
      timer = null;
      if (state.get().state() == UpdateState.ACTIVATING && requestId.equals(state.get().requestId())) {
        LOG.info("Model {}: no answer to activation request {} within {} ms; asking again", model, requestId,
            desired.settings().activationTimeout().toMillis());
        sendActivation(requestId);
      }
    }, desired.settings().activationTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the inference module's answer to an activation request. */
  void onReply(ActivationReply reply) {
    Long newestServing = reply.serving().stream().max(Long::compare)
        .orElse(reply.active() ? reply.version() : null);
    if (state.get().state() != UpdateState.ACTIVATING || state.get().desiredVersion() == null
        || reply.version() != state.get().desiredVersion()
        || reply.requestId() != null && !reply.requestId().equals(state.get().requestId())) {
      // An answer to an older request (a newer release came meanwhile) still says what serves now.
      if (newestServing != null && !newestServing.equals(state.get().activeVersion())) {
        LOG.info("Model {}: version {} serves (a reply to an earlier request)", model, newestServing);
        state.set(state.get().withActiveVersion(newestServing), false);
      }
      LOG.info("Model {}: ignoring an activation reply for version {} (request {}): the state is {} for version {}",
          model, reply.version(), reply.requestId(), state.get().state().wireName(), state.get().desiredVersion());
      return;
    }
    cancelTimer();
    long v = reply.version();
    Instant now = clock.instant();
    if (reply.active()) {
      Long previous = state.get().activeVersion();
      state.set(state.get().to(UpdateState.ACTIVE, now, v, state.get().release()).withActiveVersion(v), true);
      retention.prune(previous);
      return;
    }
    Long serving = reply.serving().stream().max(Long::compare).orElse(null);
    String reason = "activation: " + (reply.reason() == null ? "the inference module refused the version"
        : reply.reason()) + "; " + (serving == null ? "no version serves" : "version " + serving + " serves");
    try {
      if (Files.isDirectory(directories.served(v))) {
        directories.archive(v);
      }
      // A rollback archived the version that still serves: it goes back, so that a restart serves it again.
      if (serving != null && serving != v && !Files.isDirectory(directories.served(serving))
          && Files.isDirectory(directories.archived(serving))) {
        directories.install(serving);
      }
    } catch (IOException e) {
      LOG.error("Model {}: cannot move version directories after the failed activation of version {}", model, v, e);
      reason += "; and the version directories could not be moved: " + e;
    }
    ModelState next = state.get().to(UpdateState.ROLLED_BACK, now, v, state.get().release()).withReason(reason);
    if (serving != null) {
      next = next.withActiveVersion(serving);
    }
    state.set(next, true);
  }
}
