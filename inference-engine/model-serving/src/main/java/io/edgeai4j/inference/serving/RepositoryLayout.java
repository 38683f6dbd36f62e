package io.edgeai4j.inference.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The layout of a model repository ({@code <repository>/<model>/<version>/}): which model names are directory names,
 * and which directories of a model are versions. Stateless; reads the disk.
 */
final class RepositoryLayout {
  private static final Pattern VERSION_DIR = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private RepositoryLayout() {}

  /**
   * Refuses a model name that is not a directory name (a path, {@code ..}, too long).
   *
   * @throws ModelRepositoryException Naming {@code root} and the name.
   */
  static void checkModelName(Path root, String model) throws ModelRepositoryException {
    if (model == null || !MODEL_NAME.matcher(model).matches() || model.contains("..")) {
      throw new ModelRepositoryException(root + ": model name '" + model + "' is not a directory name"
          + " (expected letters, digits, '_', '-', '.', at most 128)");
    }
  }

  /**
   * The version directories of a model directory (named by a positive integer), ascending.
   *
   * @throws ModelRepositoryException If the directory is missing, cannot be listed or holds no version directory.
   */
  static SortedSet<Long> versionsOnDisk(Path modelDir) throws ModelRepositoryException {
    if (!Files.isDirectory(modelDir)) {
      throw new ModelRepositoryException(modelDir + ": no such model directory");
    }
    SortedSet<Long> versions = new TreeSet<>();
    try (var entries = Files.list(modelDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && VERSION_DIR.matcher(name).matches()) {
          versions.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new ModelRepositoryException(modelDir + ": cannot list its version directories: " + e, e);
    }
    if (versions.isEmpty()) {
      throw new ModelRepositoryException(modelDir + ": no version directory (expected directories named by positive"
          + " integers, e.g. 1, holding model.onnx and model.json)");
    }
    return versions;
  }
}
