package io.edgeai4j.cli.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes the command's temporary work directory. */
final class WorkDirectories {
  private WorkDirectories() {}

  /** Deletes {@code dir} and everything in it; says on {@code err} what could not be deleted. */
  static void deleteQuietly(Path dir, PrintWriter err) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      err.println("edge model publish: warning: could not delete the work directory " + dir + ": " + e);
    }
  }
}
