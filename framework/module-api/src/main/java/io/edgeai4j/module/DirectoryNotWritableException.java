package io.edgeai4j.module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown by {@link WritableDirectory#require} when a directory a module must write cannot be created or takes no
 * new file. The message names the directory, what it is for, the uid the module runs as, the owner and mode found,
 * and the fix; {@code EdgeModuleMain} exits with 78 (a configuration to fix) when a module's start throws it.
 */
public final class DirectoryNotWritableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The directory, absolute; not serialized, as paths are not serializable. */
  private final transient Path directory;

  /**
   * Creates the exception.
   *
   * @param directory The directory the module must write.
   * @param message The whole message.
   * @param cause The file system's error, or null.
   */
  DirectoryNotWritableException(Path directory, String message, Throwable cause) {
    super(message, cause);
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** Returns the directory the module must write, absolute. */
  public Path directory() {
    return directory;
  }
}
