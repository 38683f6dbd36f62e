package io.edgeai4j.modelupdate.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the versions a model no longer needs once a version is active ({@code keepVersions}). Owned by
 * {@link ModelWorker}; holds nothing to close. Not thread-safe: the worker's thread only.
 */
final class VersionRetention {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final String model;
  private final VersionDirectories directories;
  private final WorkerState state;
  private final DesiredRelease desired;

  VersionRetention(String model, VersionDirectories directories, WorkerState state, DesiredRelease desired) {
    this.model = model;
    this.directories = directories;
    this.state = state;
    this.desired = desired;
  }

  /**
   * Keeps the active version and the newest {@code keepVersions - 1} below it in the repository, and in the archive
   * only those versions plus the one served before when it is newer (what going forward again after a rollback
   * reuses): every other archived directory and package (rolled back, failed the input check, pruned) is deleted.
   */
  void prune(Long previous) {
    long active = state.get().activeVersion();
    try {
      List<Long> older = new ArrayList<>(directories.inRepository().headSet(active, false).descendingSet());
      for (int i = desired.settings().keepVersions() - 1; i < older.size(); i++) {
        LOG.info("Model {}: removing version {} (keepVersions {})", model, older.get(i),
            desired.settings().keepVersions());
        directories.forget(older.get(i));
      }
      Set<Long> keep = new TreeSet<>(directories.inRepository());
      keep.add(active);
      if (previous != null && previous > active) {
        keep.add(previous);
      }
      for (long archived : directories.inArchive()) {
        if (!keep.contains(archived)) {
          LOG.info("Model {}: removing archived version {} (not within keepVersions {} of version {})", model,
              archived, desired.settings().keepVersions(), active);
          directories.forget(archived);
        }
      }
    } catch (IOException e) {
      LOG.warn("Model {}: cannot remove old versions: {}", model, e.toString());
    }
  }
}
