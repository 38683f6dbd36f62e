package io.edgeai4j.modelupdate.pipeline;

import io.edgeai4j.modelpackage.InvalidPackageException;
import io.edgeai4j.modelpackage.ModelPackage;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.Sha256;
import io.edgeai4j.modelupdate.download.DownloadException;
import io.edgeai4j.modelupdate.download.DownloadProgress;
import io.edgeai4j.modelupdate.download.RetryPoint;
import io.edgeai4j.modelupdate.state.UpdateState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the desired release to {@code staged}: download (a kept part resumes; a package already archived is reused),
 * verify (size limit, {@link ReleaseChecks}: signature, expiry, no older version unless a rollback; sha256), unpack
 * and check, and stage the checked directory under the state directory, outside the repository; each step is
 * written to the state, then the {@link Activator} takes over. A download failure that may pass is retried
 * ({@link DownloadRetries}); any other failure ends the update {@code failed}; a download stopped (a newer desired
 * release, or the worker closing) leaves the state {@code downloading} or {@code retrying}, to resume.
 *
 * <p>Owned by {@link ModelWorker}; holds nothing to close (the downloader is the module's). Not thread-safe: the
 * worker's thread only; a newer desired release is seen through the generation, which the worker's callers bump.
 */
final class ReleasePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final VersionDirectories directories;
  private final WorkerState state;
  private final DesiredRelease desired;
  private final UpdateMetrics metrics;
  private final Clock clock;
  private final LongSupplier generation;
  private final Activator activator;
  private final UpdateAbort abort;

  ReleasePipeline(String model, VersionDirectories directories, WorkerState state, DesiredRelease desired,
      UpdateMetrics metrics, Clock clock, LongSupplier generation, Activator activator, UpdateAbort abort) {
    this.model = model;
    this.directories = directories;
    this.state = state;
    this.desired = desired;
    this.metrics = metrics;
    this.clock = clock;
    this.generation = generation;
    this.activator = activator;
    this.abort = abort;
  }

  /**
   * Runs the pipeline for the desired release of generation {@code g}: the size and signature checks each time,
   * then download (resuming a kept {@code .part}), verify, unpack and stage, writing each state the worker is not
   * already in.
   */
  void run(long g) {
    ModelRelease r = desired.release();
    long v = r.version();
    long maxBytes = desired.settings().downloader().settings().maxPackageBytes();
    try {
      if (r.size() > maxBytes) {
        throw new UpdateFailure("models." + model + ".size: " + r.size() + " is over download.maxPackageBytes "
            + maxBytes);
      }
      ReleaseChecks.beforeDownload(r, desired.settings(), activeOrNewestInRepository(), clock.instant());
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
      stage(r, pkg, kept, maxBytes, g);
      state.set(state.get().to(UpdateState.STAGED, clock.instant(), v, r.toJson()), false);
      activator.tryActivate();
    } catch (UpdateFailure e) {
      abort.fail(r, e.getMessage());
    } catch (DownloadException e) {
      abort.fail(r, "download: " + e.getMessage());
    } catch (InvalidPackageException e) {
      deleteQuietly(directories.archivedPackage(v));
      abort.fail(r, "package: " + e.getMessage());
    } catch (InterruptedException e) {
      if (generation.getAsLong() == g) {
        Thread.currentThread().interrupt();
      }
      LOG.info("Model {}: download of version {} stopped ({}); the state stays {}", model, v, e.getMessage(),
          state.get().state().wireName());
    } catch (IOException | UncheckedIOException e) {
      abort.fail(r, "I/O: " + e);
    }
  }

  private void toVerifying(ModelRelease r) {
    if (state.get().state() != UpdateState.VERIFYING) {
      state.set(state.get().to(UpdateState.VERIFYING, clock.instant(), r.version(), r.toJson())
          .withProgress(r.size(), r.size()), false);
    }
  }

  private void download(ModelRelease r, long g) throws DownloadException, InterruptedException {
    UpdateState now = state.get().state();
    if (now != UpdateState.DOWNLOADING && now != UpdateState.RETRYING) {
      state.set(state.get().to(UpdateState.DOWNLOADING, clock.instant(), r.version(), r.toJson())
          .withProgress(0, r.size()), false);
    }
    // A restart while retrying continues the backoff and waits the rest of the wait it was in.
    RetryPoint from = new RetryPoint(state.get().attempts(), state.get().nextAttemptAt());
    desired.settings().downloader().download(r.uri(), r.size(), directories.part(r.version(), r.sha256()),
        new DownloadProgress() {
      @Override
      public void update(long bytes, long total) {
        state.set(state.get().withProgress(bytes, total), false);
      }

      @Override
      public void received(long bytes) {
        metrics.downloaded(model, bytes);
      }
    }, () -> generation.getAsLong() != g, from, new DownloadRetries(model, state, metrics, clock,
        () -> generation.getAsLong() == g, UpdateState.DOWNLOADING));
  }

  /**
   * Makes the version's checked directory ready for activation, outside the repository: a kept package reuses the
   * directory staged, in the repository (an older version) or archived; otherwise the package is unpacked, checked
   * and moved to {@code staged/}.
   */
  private void stage(ModelRelease r, Path pkg, boolean kept, long maxBytes, long g)
      throws IOException, UpdateFailure, InvalidPackageException, InterruptedException {
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
      // Too little room is retried (reported retrying), as during the download.
      desired.settings().downloader().awaitFreeSpace(pkg.getParent(), inflated, "unpacking version " + v,
          () -> generation.getAsLong() != g, new DownloadRetries(model, state, metrics, clock,
              () -> generation.getAsLong() == g, UpdateState.VERIFYING));
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
    try (ZipFile zip = new ZipFile(pkg.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        long size = e.nextElement().getSize();
        total += size < 0 ? maxBytes : size;
        if (total >= maxBytes) {
          return maxBytes;
        }
      }
    } catch (ZipException e) {
      return maxBytes;
    }
    return total;
  }

  /** The version serving now: the active one, else (no reply yet, a state file set aside) the newest installed. */
  private Long activeOrNewestInRepository() throws IOException {
    Long active = state.get().activeVersion();
    return active != null || directories.inRepository().isEmpty() ? active : directories.inRepository().last();
  }

  /** The directory of the version serving now (the active one, else the newest other in the repository). */
  private Optional<Path> servingDirectory(long candidate) throws IOException {
    Long active = state.get().activeVersion();
    if (active == null) {
      active = directories.inRepository().stream().filter(x -> x != candidate).reduce((a, b) -> b).orElse(null);
    }
    if (active == null || active == candidate || !Files.isDirectory(directories.served(active))) {
      return Optional.empty();
    }
    return Optional.of(directories.served(active));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
