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
 * ({@code downloads/<model>/<version>.part}), staging ({@code staging/<model>/<version>/}) and the archive
 * ({@code archive/<model>/<version>/} for version directories taken out of the repository,
 * {@code archive/<model>/<version>.zip} for verified packages). Moves between the repository and the state
 * directory are atomic renames, so both must be on one volume. Stateless; used by one model's worker at a time.
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

  /** {@code <state>/downloads/<model>/<version>.part}. */
  public Path part(long version) {
    return stateDirectory.resolve("downloads").resolve(model).resolve(version + ".part");
  }

  /** {@code <state>/staging/<model>/<version>}. */
  public Path staging(long version) {
    return stateDirectory.resolve("staging").resolve(model).resolve(Long.toString(version));
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

  /** Moves a verified {@code .part} file to the archive's package. */
  public Path keepPackage(long version) throws IOException {
    return move(part(version), archivedPackage(version));
  }

  /** Moves a staged directory into the repository, first archiving a directory already there. */
  public Path install(long version) throws IOException {
    if (Files.exists(served(version))) {
      archive(version);
    }
    return move(staging(version), served(version));
  }

  /** Moves a version directory from the repository to the archive, replacing an archived one. */
  public void archive(long version) throws IOException {
    if (Files.exists(archived(version))) {
      deleteTree(archived(version));
    }
    move(served(version), archived(version));
  }

  /** Moves an archived version directory back into the repository. */
  public void restore(long version) throws IOException {
    move(archived(version), served(version));
  }

  /** Deletes a version everywhere: repository, archive (directory and package), staging and download. */
  public void forget(long version) throws IOException {
    deleteTree(served(version));
    deleteTree(archived(version));
    Files.deleteIfExists(archivedPackage(version));
    deleteTree(staging(version));
    Files.deleteIfExists(part(version));
  }

  /** Deletes a staged directory, if any. */
  public void clearStaging(long version) throws IOException {
    deleteTree(staging(version));
  }

  private static Path move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically: the model repository and the"
          + " state directory must be on one volume", e);
    }
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
