package io.edgeai4j.modelupdate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.modelpackage.InvalidPackageException;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.modelpackage.SignatureCheckException;
import io.edgeai4j.modelupdate.download.DownloadException;
import io.edgeai4j.modelupdate.download.DownloadProgress;
import io.edgeai4j.modelupdate.state.ModelState;
import io.edgeai4j.modelupdate.state.StateStore;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates one model: drives it from its persisted state towards the desired release (download, verify, unpack and
 * check, stage under the state directory, and at activation time put it into the repository and activate it through
 * the inference module, keep the last versions), writing the state file and reporting at each step. A staged
 * version stays out of the repository until its activation, so the inference module cannot load it earlier (at a
 * restart, or when it applies its twin again). A restart resumes from the state file; a desired release equal to the one
 * the state answers changes nothing.
 *
 * <p>Everything runs on the worker's own thread, one event at a time; the public methods only queue events and are
 * thread-safe. A newer desired release cancels a download in progress. Owns its thread; {@link #close()} interrupts
 * it (a download stops, its state stays {@code downloading} to resume) and waits for it. Idempotent.
 */
public final class ModelWorker implements AutoCloseable {
  /** The longest a window's next opening is waited for in one go (clock changes are noticed after it). */
  static final Duration MAX_WINDOW_WAIT = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  /** What the worker tells the module. Called on the worker's thread. */
  public interface Events {
    /**
     * A new state to report.
     *
     * @param state The state.
     * @param outcome Whether it ends an update (active, failed, rolledBack reached by the pipeline).
     */
    void changed(ModelState state, boolean outcome);

    /**
     * Sends the activation request on output {@code activate}.
     *
     * @throws Exception If it was not sent; it is sent again after the activation timeout.
     */
    void activate(String requestId, String model, long version) throws Exception;
  }

  private final String model;
  private final VersionDirectories directories;
  private final StateStore store;
  private final Events events;
  private final UpdateMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  /** Bumped by every change of what is desired; a step of an older generation stops. */
  private final AtomicLong generation = new AtomicLong();
  private volatile ModelState state;

  // Worker thread only.
  private ModelRelease desired;
  private UpdateSettings settings;
  private ScheduledFuture<?> timer;

  /**
   * Creates a worker; it does nothing until told what is desired.
   *
   * @param initial The persisted state, or the state of a model never seen.
   */
  public ModelWorker(ModelState initial, VersionDirectories directories, StateStore store, Events events,
      UpdateMetrics metrics, Clock clock) {
    this.state = Objects.requireNonNull(initial, "initial");
    this.model = initial.model();
    this.directories = directories;
    this.store = store;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "model-update-" + model);
      t.setDaemon(true);
      return t;
    });
  }

  /** The current state (as last written). */
  public ModelState state() {
    return state;
  }

  /** Queues a desired release. */
  public void desire(ModelRelease release, UpdateSettings updateSettings) {
    long g = generation.incrementAndGet();
    submit(() -> onDesired(release, updateSettings, g));
  }

  /** Queues a desired release that did not validate: the model ends {@code failed} with the reason. */
  public void refuse(Long version, String reason) {
    generation.incrementAndGet();
    submit(() -> onRefused(version, reason));
  }

  /** Queues the model's removal from the desired properties: it is left as it is, reported unmanaged. */
  public void unmanage() {
    generation.incrementAndGet();
    submit(this::onUnmanaged);
  }

  /** Queues the inference module's answer to an activation request. */
  public void activated(ActivationReply reply) {
    submit(() -> onReply(reply));
  }

  private void submit(Runnable event) {
    try {
      thread.execute(() -> {
        try {
          event.run();
        } catch (RuntimeException e) {
          LOG.error("Model {}: update step failed unexpectedly", model, e);
          set(state.to(UpdateState.FAILED, clock.instant(), state.desiredVersion(), state.release())
              .withReason("internal error: " + e), true);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Model {}: worker closed, event dropped", model);
    }
  }

  private void onDesired(ModelRelease release, UpdateSettings updateSettings, long g) {
    settings = updateSettings;
    if (generation.get() != g) {
      return;
    }
    desired = release;
    boolean renewedUri = answers(state, release) && !release.toJson().equals(state.release());
    if (renewedUri && state.state() == UpdateState.FAILED) {
      // A renewed SAS URL for a failed release: a new attempt (a kept .part resumes).
      LOG.info("Model {}: version {} failed before; its URI changed, trying again", model, release.version());
      begin(release, g);
    } else if (answers(state, release)) {
      if (renewedUri) {
        // Only the URI changed (a renewed SAS URL): remember it for a resumed download.
        set(new ModelState(model, state.state(), state.desiredVersion(), state.activeVersion(), state.since(),
            state.reason(), state.progressBytes(), state.progressTotal(), release.toJson(), state.requestId(),
            state.servedVersions()), false, false);
      }
      resume(g);
    } else {
      begin(release, g);
    }
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
    switch (state.state()) {
      case DOWNLOADING, VERIFYING -> runPipeline(g);
      case STAGED -> {
        if (timer == null) {
          tryActivate();
        }
      }
      case ACTIVATING -> {
        if (timer == null) {
          LOG.info("Model {}: asking again for version {} (request {})", model, state.desiredVersion(),
              state.requestId());
          handOver(state.requestId());
        }
      }
      default -> { }
    }
  }

  private void begin(ModelRelease release, long g) {
    cancelTimer();
    discardStagedVersion();
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
    set(state.to(UpdateState.DOWNLOADING, now, release.version(), release.toJson())
        .withProgress(0, release.size()), false);
    runPipeline(g);
  }

  private void runPipeline(long g) {
    ModelRelease r = desired;
    long v = r.version();
    long maxBytes = settings.downloader().settings().maxPackageBytes();
    try {
      if (r.size() > maxBytes) {
        throw new UpdateFailure("models." + model + ".size: " + r.size() + " is over download.maxPackageBytes "
            + maxBytes);
      }
      if (settings.publicKey() != null) {
        ReleaseSignatures.verify(r, settings.publicKey());
      }
      Path pkg = directories.archivedPackage(v);
      boolean kept = Files.isRegularFile(pkg) && Files.size(pkg) == r.size() && Sha256.of(pkg).equals(r.sha256());
      if (!kept) {
        download(r, g);
        toVerifying(r);
        Path part = directories.part(v, r.sha256());
        String actual = Sha256.of(part);
        if (!actual.equals(r.sha256())) {
          Files.deleteIfExists(part);
          throw new UpdateFailure("sha256 of the downloaded package is " + actual + ", the release says "
              + r.sha256());
        }
        directories.keepPackage(v, r.sha256());
      } else {
        LOG.info("Model {}: version {} reused from the archive, no download", model, v);
        toVerifying(r);
      }
      stage(r, pkg, kept, maxBytes);
      set(state.to(UpdateState.STAGED, clock.instant(), v, r.toJson()), false);
      tryActivate();
    } catch (UpdateFailure e) {
      fail(r, e.getMessage());
    } catch (DownloadException e) {
      fail(r, "download: " + e.getMessage());
    } catch (SignatureCheckException e) {
      fail(r, e.getMessage());
    } catch (InvalidPackageException e) {
      deleteQuietly(directories.archivedPackage(v));
      fail(r, "package: " + e.getMessage());
    } catch (InterruptedException e) {
      if (generation.get() == g) {
        Thread.currentThread().interrupt();
      }
      LOG.info("Model {}: download of version {} stopped ({}); the state stays {}", model, v, e.getMessage(),
          state.state().wireName());
    } catch (IOException | UncheckedIOException e) {
      fail(r, "I/O: " + e);
    }
  }

  private void toVerifying(ModelRelease r) {
    if (state.state() != UpdateState.VERIFYING) {
      set(state.to(UpdateState.VERIFYING, clock.instant(), r.version(), r.toJson())
          .withProgress(r.size(), r.size()), false);
    }
  }

  private void download(ModelRelease r, long g) throws DownloadException, InterruptedException {
    if (state.state() != UpdateState.DOWNLOADING) {
      set(state.to(UpdateState.DOWNLOADING, clock.instant(), r.version(), r.toJson()).withProgress(0, r.size()),
          false);
    }
    settings.downloader().download(r.uri(), r.size(), directories.part(r.version(), r.sha256()),
        new DownloadProgress() {
      @Override
      public void update(long bytes, long total) {
        set(state.withProgress(bytes, total), false);
      }

      @Override
      public void received(long bytes) {
        metrics.downloaded(model, bytes);
      }
    }, () -> generation.get() != g);
  }

  /**
   * Makes the version's checked directory ready for activation, outside the repository: a kept package reuses the
   * directory staged, in the repository (an older version) or archived; otherwise the package is unpacked, checked
   * and moved to {@code staged/}.
   */
  private void stage(ModelRelease r, Path pkg, boolean kept, long maxBytes)
      throws IOException, UpdateFailure, InvalidPackageException {
    long v = r.version();
    Optional<Path> serving = servingDirectory(v);
    if (kept) {
      for (Path existing : List.of(directories.staged(v), directories.served(v), directories.archived(v))) {
        if (Files.isDirectory(existing)) {
          InputCheck.check(existing, serving);
          return;
        }
      }
    }
    directories.clearStaging(v);
    long inflated = inflatedSize(pkg, maxBytes);
    try {
      settings.downloader().requireFreeSpace(pkg.getParent(), inflated, "unpacking version " + v);
    } catch (DownloadException e) {
      throw new UpdateFailure("unpack: " + e.getMessage());
    }
    try {
      ModelPackage.unpack(pkg, directories.staging(v), maxBytes);
      InputCheck.check(directories.staging(v), serving);
      directories.stage(v);
    } finally {
      directories.clearStaging(v);
    }
  }

  /**
   * The bytes a package's entries declare once inflated (an entry of unknown size counts as {@code maxBytes});
   * the unpacked copy may be larger than the package, up to {@code maxBytes}.
   */
  private static long inflatedSize(Path pkg, long maxBytes) throws IOException {
    long total = 0;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(pkg.toFile())) {
      for (java.util.Enumeration<? extends java.util.zip.ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        long size = e.nextElement().getSize();
        total += size < 0 ? maxBytes : size;
        if (total >= maxBytes) {
          return maxBytes;
        }
      }
    } catch (java.util.zip.ZipException e) {
      return maxBytes;
    }
    return total;
  }

  /** The directory of the version serving now (the active one, else the newest other in the repository). */
  private Optional<Path> servingDirectory(long candidate) throws IOException {
    Long active = state.activeVersion();
    if (active == null) {
      active = directories.inRepository().stream().filter(x -> x != candidate).reduce((a, b) -> b).orElse(null);
    }
    if (active == null || active == candidate || !Files.isDirectory(directories.served(active))) {
      return Optional.empty();
    }
    return Optional.of(directories.served(active));
  }

  private void archiveNewerThan(long version) throws IOException {
    for (long newer : directories.inRepository().tailSet(version, false)) {
      LOG.info("Model {}: version {} moved to the archive (version {} is desired)", model, newer, version);
      directories.archive(newer);
    }
  }

  private void tryActivate() {
    Instant now = clock.instant();
    if (desired.activation().isOpen(now)) {
      handOver(UUID.randomUUID().toString());
      return;
    }
    Duration wait = Duration.between(now, desired.activation().nextOpening(now));
    if (wait.compareTo(MAX_WINDOW_WAIT) > 0) {
      wait = MAX_WINDOW_WAIT;
    }
    LOG.info("Model {}: version {} staged, activation window opens at {}", model, desired.version(),
        desired.activation().nextOpening(now));
    timer = thread.schedule(() -> {
      timer = null;
      if (state.state() == UpdateState.STAGED && desired != null) {
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
  private void handOver(String requestId) {
    if (state.state() != UpdateState.ACTIVATING || !requestId.equals(state.requestId())) {
      set(state.to(UpdateState.ACTIVATING, clock.instant(), state.desiredVersion(), state.release())
          .withRequestId(requestId), false);
    }
    long v = state.desiredVersion();
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
      fail(desired, reason);
      return;
    }
    sendActivation(requestId);
  }

  private void sendActivation(String requestId) {
    if (state.state() != UpdateState.ACTIVATING || !requestId.equals(state.requestId())) {
      set(state.to(UpdateState.ACTIVATING, clock.instant(), state.desiredVersion(), state.release())
          .withRequestId(requestId), false);
    }
    long v = state.desiredVersion();
    try {
      events.activate(requestId, model, v);
    } catch (Exception e) {
      LOG.warn("Model {}: activation request for version {} not sent ({}); sending again in {} ms", model, v,
          e.toString(), settings.activationTimeout().toMillis());
    }
    timer = thread.schedule(() -> {
      timer = null;
      if (state.state() == UpdateState.ACTIVATING && requestId.equals(state.requestId())) {
        LOG.info("Model {}: no answer to activation request {} within {} ms; asking again", model, requestId,
            settings.activationTimeout().toMillis());
        sendActivation(requestId);
      }
    }, settings.activationTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onReply(ActivationReply reply) {
    Long newestServing = reply.serving().stream().max(Long::compare)
        .orElse(reply.active() ? reply.version() : null);
    if (state.state() != UpdateState.ACTIVATING || state.desiredVersion() == null
        || reply.version() != state.desiredVersion()
        || reply.requestId() != null && !reply.requestId().equals(state.requestId())) {
      // An answer to an older request (a newer release came meanwhile) still says what serves now.
      if (newestServing != null && !newestServing.equals(state.activeVersion())) {
        LOG.info("Model {}: version {} serves (a reply to an earlier request)", model, newestServing);
        set(state.withActiveVersion(newestServing), false);
      }
      LOG.info("Model {}: ignoring an activation reply for version {} (request {}): the state is {} for version {}",
          model, reply.version(), reply.requestId(), state.state().wireName(), state.desiredVersion());
      return;
    }
    cancelTimer();
    long v = reply.version();
    Instant now = clock.instant();
    if (reply.active()) {
      Long previous = state.activeVersion();
      set(state.to(UpdateState.ACTIVE, now, v, state.release()).withActiveVersion(v), true);
      prune(previous);
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
    ModelState next = state.to(UpdateState.ROLLED_BACK, now, v, state.release()).withReason(reason);
    if (serving != null) {
      next = next.withActiveVersion(serving);
    }
    set(next, true);
  }

  /**
   * Keeps the active version and the newest {@code keepVersions - 1} below it in the repository, and in the archive
   * only those versions plus the one served before when it is newer (what going forward again after a rollback
   * reuses): every other archived directory and package (rolled back, failed the input check, pruned) is deleted.
   */
  private void prune(Long previous) {
    long active = state.activeVersion();
    try {
      List<Long> older = new ArrayList<>(directories.inRepository().headSet(active, false).descendingSet());
      for (int i = settings.keepVersions() - 1; i < older.size(); i++) {
        LOG.info("Model {}: removing version {} (keepVersions {})", model, older.get(i), settings.keepVersions());
        directories.forget(older.get(i));
      }
      java.util.Set<Long> keep = new java.util.TreeSet<>(directories.inRepository());
      keep.add(active);
      if (previous != null && previous > active) {
        keep.add(previous);
      }
      for (long archived : directories.inArchive()) {
        if (!keep.contains(archived)) {
          LOG.info("Model {}: removing archived version {} (not within keepVersions {} of version {})", model,
              archived, settings.keepVersions(), active);
          directories.forget(archived);
        }
      }
    } catch (IOException e) {
      LOG.warn("Model {}: cannot remove old versions: {}", model, e.toString());
    }
  }

  private void onRefused(Long version, String reason) {
    cancelTimer();
    discardStagedVersion();
    desired = null;
    if (state.state() == UpdateState.FAILED && Objects.equals(state.desiredVersion(), version)
        && reason.equals(state.reason()) && state.release() == null) {
      return;
    }
    set(state.to(UpdateState.FAILED, clock.instant(), version, null).withReason(reason), true);
  }

  private void onUnmanaged() {
    cancelTimer();
    discardStagedVersion();
    desired = null;
    if (state.state() != UpdateState.UNMANAGED) {
      set(state.to(UpdateState.UNMANAGED, clock.instant(), null, null), false);
    }
  }

  private void fail(ModelRelease r, String reason) {
    LOG.warn("Model {}: version {} failed: {}", model, r.version(), reason);
    try {
      directories.clearStaging(r.version());
      directories.discardStaged(r.version());
    } catch (IOException e) {
      LOG.warn("Model {}: cannot clear staging: {}", model, e.toString());
    }
    set(state.to(UpdateState.FAILED, clock.instant(), r.version(), r.toJson()).withReason(reason), true);
  }

  /** A staged version that will not be activated any more: its directory (outside the repository) is deleted. */
  private void discardStagedVersion() {
    if (state.state() == UpdateState.STAGED && state.desiredVersion() != null) {
      try {
        directories.discardStaged(state.desiredVersion());
      } catch (IOException e) {
        LOG.warn("Model {}: cannot delete staged version {}: {}", model, state.desiredVersion(), e.toString());
      }
    }
  }

  private void set(ModelState next, boolean outcome) {
    set(next, outcome, true);
  }

  private void set(ModelState next, boolean outcome, boolean report) {
    state = next;
    try {
      store.write(next);
    } catch (UncheckedIOException e) {
      LOG.error("Model {}: {}", model, e.getMessage(), e);
    }
    if (report) {
      events.changed(next, outcome);
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("Model {}: worker thread did not stop within 10 s", model);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
