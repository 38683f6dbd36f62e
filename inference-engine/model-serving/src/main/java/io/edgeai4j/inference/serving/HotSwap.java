package io.edgeai4j.inference.serving;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a served model match its {@link VersionPolicy}: loads the versions the policy picks beside those serving
 * (falling back to older ones when nothing served and all those picked failed), publishes the new list of serving
 * versions at once, and retires the versions no longer picked; also unloads a model. Owned by the
 * {@link ModelServer}. Not thread-safe by itself: the server calls it only under its control lock, which makes it the
 * one writer of each {@link ServedModel}'s snapshots (requests read them without a lock).
 */
final class HotSwap {
  /** Logs as {@link ModelServer}, whose log lines these are. */
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  private final ModelRegistry models;
  private final VersionLoader loader;
  private final ServingMetrics metrics;
  private final String moduleLabel;

  HotSwap(ModelRegistry models, VersionLoader loader, ServingMetrics metrics, String moduleLabel) {
    this.models = models;
    this.loader = loader;
    this.metrics = metrics;
    this.moduleLabel = moduleLabel;
  }

  /** As {@link ModelServer#load}, from {@code repository}. */
  ModelStatus load(Path repository, String model, VersionPolicy policy) throws ModelRepositoryException {
    RepositoryLayout.checkModelName(repository, model);
    Path modelDir = repository.resolve(model);
    SortedSet<Long> onDisk = RepositoryLayout.versionsOnDisk(modelDir);
    SortedSet<Long> wanted = policy.select(onDisk);
    ServedModel served = models.getOrAdd(model);
    List<ServedVersion> before = served.serving;
    Map<Long, VersionStatus> othersBefore = served.others;
    List<ServedVersion> after = new ArrayList<>();
    Map<Long, VersionStatus> others = new TreeMap<>();
    List<Long> toLoad = new ArrayList<>();
    for (long v : wanted) {
      Path dir = modelDir.resolve(Long.toString(v));
      ServedVersion same = before.stream().filter(s -> s.version() == v && s.directory().equals(dir)).findFirst()
          .orElse(null);
      if (same != null) {
        after.add(same);
      } else if (!onDisk.contains(v)) {
        others.put(v, new VersionStatus(v, VersionState.FAILED, dir + ": no such version directory (the version"
            + " policy " + policy + " asks for it)", Duration.ZERO));
        metrics.series(moduleLabel, model, v).claimState(VersionState.FAILED);
      } else {
        toLoad.add(v);
        others.put(v, new VersionStatus(v, VersionState.LOADING, "loading", Duration.ZERO));
        metrics.series(moduleLabel, model, v).claimState(VersionState.LOADING);
      }
    }
    served.others = Map.copyOf(others);
    for (long v : toLoad) {
      Path dir = modelDir.resolve(Long.toString(v));
      try {
        after.add(loader.load(model, v, dir));
        others.remove(v);
      } catch (ModelRepositoryException | RuntimeException | Error e) {
        String detail = VersionLoader.failedLoad(model, v, dir, e);
        others.put(v, new VersionStatus(v, VersionState.FAILED, detail, Duration.ZERO));
        metrics.series(moduleLabel, model, v).claimState(VersionState.FAILED);
      }
      served.others = Map.copyOf(others);
    }
    if (after.isEmpty() && before.isEmpty() && policy instanceof VersionPolicy.Latest latest && !wanted.isEmpty()) {
      fallBack(served, modelDir, onDisk.headSet(wanted.first()), latest.n(), others, after);
    }
    if (after.isEmpty() && !before.isEmpty()) {
      LOG.warn("model '{}': no version the policy {} picks is READY; versions {} keep serving", model, policy,
          before.stream().map(ServedVersion::version).toList());
      after.addAll(before);
    }
    after.sort(Comparator.comparingLong(ServedVersion::version));
    served.serving = List.copyOf(after);
    for (long v : othersBefore.keySet()) {
      // A version that failed or was loading before and that the policy no longer picks: clear its state.
      if (!others.containsKey(v) && after.stream().noneMatch(s -> s.version() == v)) {
        metrics.series(moduleLabel, model, v).claimState(VersionState.UNLOADED);
      }
    }
    for (ServedVersion old : before) {
      if (!after.contains(old)) {
        models.retire(served, old);
      }
    }
    return models.status(served);
  }

  /**
   * With nothing serving before and every version a {@code latest} policy picks FAILED: loads the older version
   * directories, newest first, until {@code n} are READY or none is left. Each one tried and failed is recorded
   * FAILED in {@code others} (with the picked ones), so the status says which were skipped and why.
   */
  private void fallBack(ServedModel served, Path modelDir, SortedSet<Long> older, int n,
      Map<Long, VersionStatus> others, List<ServedVersion> after) {
    Map<Long, String> skipped = new TreeMap<>();
    others.forEach((v, status) -> skipped.put(v, status.detail()));
    for (long v : new TreeSet<>(older).descendingSet()) {
      if (after.size() == n) {
        break;
      }
      others.put(v, new VersionStatus(v, VersionState.LOADING, "loading (the newer versions failed)", Duration.ZERO));
      metrics.series(moduleLabel, served.name, v).claimState(VersionState.LOADING);
      served.others = Map.copyOf(others);
      try {
        after.add(loader.load(served.name, v, modelDir.resolve(Long.toString(v))));
        others.remove(v);
        LOG.warn("model '{}': nothing was serving and the versions the policy picks failed; serving the older"
            + " version {} instead (skipped: {})", served.name, v, skipped);
      } catch (ModelRepositoryException | RuntimeException | Error e) {
        String detail = VersionLoader.failedLoad(served.name, v, modelDir.resolve(Long.toString(v)), e);
        others.put(v, new VersionStatus(v, VersionState.FAILED, detail, Duration.ZERO));
        metrics.series(moduleLabel, served.name, v).claimState(VersionState.FAILED);
        skipped.put(v, detail);
      }
      served.others = Map.copyOf(others);
    }
    if (after.isEmpty()) {
      LOG.warn("model '{}': no version directory loads; none serves (failed: {})", served.name, skipped);
    }
  }

  /** As {@link ModelServer#unload}. */
  void unload(String model) {
    ServedModel served = models.remove(model);
    if (served == null) {
      return;
    }
    for (ServedVersion v : served.serving) {
      models.retire(served, v);
    }
    for (VersionStatus other : served.others.values()) {
      metrics.series(moduleLabel, model, other.version()).claimState(VersionState.UNLOADED);
    }
    LOG.info("model '{}' unloaded", model);
  }
}
