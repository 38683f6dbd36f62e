package io.edgeai4j.inference.serving;

import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which versions of a model to serve, as Triton's {@code version_policy}: the newest {@code n} found on disk
 * ({@code {"latest": n}}), or the ones listed ({@code {"specific": [1, 3]}}). Immutable.
 */
public sealed interface VersionPolicy {
  /** The newest {@code n} versions on disk; {@code n} from 1 to 100. */
  static VersionPolicy latest(int n) {
    return new Latest(n);
  }

  /** Exactly these versions (a version missing on disk is reported FAILED); at least one, each positive. */
  static VersionPolicy specific(Collection<Long> versions) {
    return new Specific(new TreeSet<>(versions));
  }

  /**
   * The versions to serve.
   *
   * @param onDisk The versions found on disk.
   * @return The versions wanted, ascending; for {@link Specific}, including those missing on disk.
   */
  SortedSet<Long> select(SortedSet<Long> onDisk);

  /** The newest {@code n} versions on disk. */
  record Latest(int n) implements VersionPolicy {
    /** Validates. */
    public Latest {
      if (n < 1 || n > 100) {
        throw new IllegalArgumentException("versionPolicy.latest must be 1 to 100, found " + n);
      }
    }

    @Override
    public SortedSet<Long> select(SortedSet<Long> onDisk) {
      NavigableSet<Long> chosen = new TreeSet<>();
      for (Long v : new TreeSet<>(onDisk).descendingSet()) {
        if (chosen.size() == n) {
          break;
        }
        chosen.add(v);
      }
      return chosen;
    }

    @Override
    public String toString() {
      return "{\"latest\": " + n + "}";
    }
  }

  /** Exactly the versions listed. */
  record Specific(SortedSet<Long> versions) implements VersionPolicy {
    /** Validates and copies. */
    public Specific {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("versionPolicy.specific must list at least one version, found none");
      }
      for (Long v : versions) {
        if (v == null || v < 1) {
          throw new IllegalArgumentException("versionPolicy.specific versions must be positive, found " + v);
        }
      }
      versions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(versions));
    }

    @Override
    public SortedSet<Long> select(SortedSet<Long> onDisk) {
      return versions;
    }

    @Override
    public String toString() {
      return "{\"specific\": " + List.copyOf(versions) + "}";
    }
  }
}
