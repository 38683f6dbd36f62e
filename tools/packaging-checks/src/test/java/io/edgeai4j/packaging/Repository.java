package io.edgeai4j.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests read: found by walking up from the working directory to the folder holding framework/module-api. */
final class Repository {
  private static final Path ROOT = findRoot();

  private Repository() {}

  /** Returns the repository root. */
  static Path root() {
    return ROOT;
  }

  /** Returns a path under the repository root. */
  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** Reads a UTF-8 text file, failing with the path when it is missing. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + ROOT.relativize(file.toAbsolutePath()) + ": " + e, e);
    }
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("framework/module-api")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("No edgeai4j checkout (a folder with pom.xml and framework/module-api) above "
        + Path.of("").toAbsolutePath());
  }
}
