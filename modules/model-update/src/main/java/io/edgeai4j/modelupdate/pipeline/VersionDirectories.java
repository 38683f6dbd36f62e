package io.edgeai4j.modelupdate.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The directories of one model's versions: in the repository the inference module reads
 * ({@code <repository>/<model>/<version>/}), and under the state directory: downloads
 * ({@code downloads/<model>/<version>-<sha256 prefix>.part}), the unpack area ({@code staging/<model>/<version>/}), checked versions
 * waiting for activation ({@code staged/<model>/<version>/}) and the archive ({@code archive/<model>/<version>/}
 * for version directories taken out of the repository, {@code archive/<model>/<version>.zip} for verified
 * packages).
 *
 * <p>A version directory appears in the repository, or leaves it, in one atomic rename: when the state directory
 * is on the repository's file store it is renamed directly; otherwise it is copied beside its target under a name
 * the inference module ignores ({@code .incoming-<version>}, not a positive integer) and that copy is renamed. A
 * directory leaving the repository is first renamed to {@code .outgoing-<version>} in it. Stateless; used by one
 * model's worker at a time.
 */
public final class VersionDirectories {
  private final String model;
  private final Path repository;
  private final Path stateDirectory;

  /**
   * @param model The model's name.
   * @param repository The model repository's root.
   * @param stateDirectory The module's state directory.
   */
  public VersionDirectories(String model, Path repository, Path stateDirectory) {
    this.model = model;
    this.repository = repository;
    this.stateDirectory = stateDirectory;
  }

  /** {@code <repository>/<model>/<version>}. */
  public Path served(long version) {
    return repository.resolve(model).resolve(Long.toString(version));
  }

  /**
   * {@code <state>/downloads/<model>/<version>-<first 16 hex digits of sha256>.part}: named by the release's hash,
   * so a version republished with other bytes never resumes the old bytes.
   */
  public Path part(long version, String sha256) {
    return downloads().resolve(version + "-" + sha256.substring(0, Math.min(16, sha256.length())) + ".part");
  }

  /** {@code <state>/downloads/<model>}. */
  public Path downloads() {
    return stateDirectory.resolve("downloads").resolve(model);
  }

  /**
   * Deletes the download files of a version ({@code .part} and the downloader's files beside it) except those of
   * {@code keepSha256} (null: all of them).
   */
  public void discardParts(long version, String keepSha256) throws IOException {
    Path keep = keepSha256 == null ? null : part(version, keepSha256);
    if (!Files.isDirectory(downloads())) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(downloads(),
        version + "{.part,-*.part,.part.*,-*.part.*}")) {
      for (Path file : files) {
        if (keep == null || !file.getFileName().toString().startsWith(keep.getFileName().toString())) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** {@code <state>/staging/<model>/<version>}. */
  public Path staging(long version) {
    return stateDirectory.resolve("staging").resolve(model).resolve(Long.toString(version));
  }

  /** {@code <state>/staged/<model>/<version>}: a checked version waiting for its activation. */
  public Path staged(long version) {
    return stateDirectory.resolve("staged").resolve(model).resolve(Long.toString(version));
  }

  /** {@code <state>/archive/<model>/<version>}. */
  public Path archived(long version) {
    return stateDirectory.resolve("archive").resolve(model).resolve(Long.toString(version));
  }

  /** {@code <state>/archive/<model>/<version>.zip}: the verified package. */
  public Path archivedPackage(long version) {
    return stateDirectory.resolve("archive").resolve(model).resolve(version + ".zip");
  }

  /** The versions with a directory in the repository, ascending. */
  public NavigableSet<Long> inRepository() throws IOException {
    NavigableSet<Long> versions = new TreeSet<>();
    Path dir = repository.resolve(model);
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.matches("[1-9][0-9]{0,17}")) {
          versions.add(Long.parseLong(name));
        }
      }
    }
    return versions;
  }

  /** Deletes the download files of every version but {@code version}. */
  public void discardPartsOfOtherVersions(long version) throws IOException {
    if (!Files.isDirectory(downloads())) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(downloads())) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
          if (!name.startsWith(version + ".") && !name.startsWith(version + "-")) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  /** The versions with a directory or a package in the archive, ascending. */
  public NavigableSet<Long> inArchive() throws IOException {
    NavigableSet<Long> versions = new TreeSet<>();
    Path dir = archived(1).getParent();
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.matches("[1-9][0-9]{0,17}(\\.zip)?")) {
          versions.add(Long.parseLong(name.replace(".zip", "")));
        }
      }
    }
    return versions;
  }

  /**
   * Cleans what a crash in the middle of a move left, at start: {@code .incoming-*} copies (in the repository and
   * the archive) are deleted; an {@code .outgoing-<version>} directory is first copied to the archive when the
   * archive has no copy of it, then deleted. Returns the names removed.
   */
  public java.util.List<String> cleanLeftovers() throws IOException {
    java.util.List<String> removed = new java.util.ArrayList<>();
    for (Path dir : java.util.List.of(served(1).getParent(), archived(1).getParent())) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      java.util.List<Path> leftovers = new java.util.ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".{incoming,outgoing}-*")) {
        entries.forEach(leftovers::add);
      }
      for (Path leftover : leftovers) {
        String name = leftover.getFileName().toString();
        String version = name.substring(name.indexOf('-') + 1);
        if (name.startsWith(".outgoing-") && version.matches("[1-9][0-9]{0,17}")
            && !Files.isDirectory(archived(Long.parseLong(version)))) {
          copyThenRename(leftover, archived(Long.parseLong(version)));
        }
        deleteTree(leftover);
        removed.add(leftover.toString());
      }
    }
    return removed;
  }

  /** Moves a verified {@code .part} file to the archive's package, deleting the files beside it. */
  public Path keepPackage(long version, String sha256) throws IOException {
    Path kept = move(part(version, sha256), archivedPackage(version));
    discardParts(version, null);
    return kept;
  }

  /** Moves the checked unpack area to {@code staged/<model>/<version>}, replacing an older staged copy. */
  public Path stage(long version) throws IOException {
    deleteTree(staged(version));
    return move(staging(version), staged(version));
  }

  /**
   * Puts a version directory into the repository for its activation: the staged copy when there is one (a
   * directory already in the repository under that version is archived first), else the one already in the
   * repository, else the archived one.
   *
   * @throws IOException When none of them exists, or a move or copy fails (a partial copy is deleted).
   */
  public Path install(long version) throws IOException {
    if (Files.isDirectory(staged(version))) {
      if (Files.exists(served(version))) {
        archive(version);
      }
      return intoRepository(staged(version), version);
    }
    if (Files.isDirectory(served(version))) {
      return served(version);
    }
    if (Files.isDirectory(archived(version))) {
      return intoRepository(archived(version), version);
    }
    throw new IOException("version " + version + " of model " + model + " is neither staged (" + staged(version)
        + ") nor archived (" + archived(version) + ")");
  }

  /** Whether a version's directory is available for activation: staged, in the repository, or archived. */
  public boolean installable(long version) {
    return Files.isDirectory(staged(version)) || Files.isDirectory(served(version))
        || Files.isDirectory(archived(version));
  }

  /** Moves a version directory from the repository to the archive, replacing an archived one. */
  public void archive(long version) throws IOException {
    deleteTree(archived(version));
    Path outgoing = served(version).resolveSibling(".outgoing-" + version);
    deleteTree(outgoing);
    Files.createDirectories(archived(version).getParent());
    try {
      Files.move(served(version), archived(version), StandardCopyOption.ATOMIC_MOVE);
      return;
    } catch (AtomicMoveNotSupportedException e) {
      // Another file store: out of the repository at once under an ignored name, then copied.
    }
    Files.move(served(version), outgoing, StandardCopyOption.ATOMIC_MOVE);
    copyThenRename(outgoing, archived(version));
    deleteTree(outgoing);
  }

  /** Deletes a staged directory, if any (the repository is not touched). */
  public void discardStaged(long version) throws IOException {
    deleteTree(staged(version));
  }

  /** Moves {@code from} (under the state directory) to {@code <repository>/<model>/<version>}. */
  private Path intoRepository(Path from, long version) throws IOException {
    Path target = served(version);
    Files.createDirectories(target.getParent());
    try {
      return Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Path copied = copyThenRename(from, target);
      deleteTree(from);
      return copied;
    }
  }

  /**
   * Copies a directory tree to {@code .incoming-<name>} beside {@code target}, then renames it to {@code target}
   * atomically; a partial copy is deleted. Package-private: tests force this path on one file store.
   */
  static Path copyThenRename(Path from, Path target) throws IOException {
    Path incoming = target.resolveSibling(".incoming-" + target.getFileName());
    deleteTree(incoming);
    Files.createDirectories(target.getParent());
    try {
      copyTree(from, incoming);
      return Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(incoming);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes a version everywhere: repository, archive (directory and package), staged, staging and download. */
  public void forget(long version) throws IOException {
    deleteTree(served(version));
    deleteTree(staged(version));
    deleteTree(archived(version));
    Files.deleteIfExists(archivedPackage(version));
    deleteTree(staging(version));
    discardParts(version, null);
  }

  /** Deletes a staged directory, if any. */
  public void clearStaging(long version) throws IOException {
    deleteTree(staging(version));
  }

  /** A rename inside the state directory (one file store). */
  private static Path move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Deletes a file tree, if it exists. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
