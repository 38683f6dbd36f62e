package io.edgeai4j.modelupdate.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the free space of a directory comes from; replaceable in tests. Implementations are thread-safe. */
@FunctionalInterface
public interface DiskSpace {
  /** The file system's usable space, from {@link java.nio.file.FileStore#getUsableSpace()}. */
  DiskSpace FILE_STORE = directory -> Files.getFileStore(directory).getUsableSpace();

  /**
   * Returns the bytes a new file in {@code directory} may still take.
   *
   * @param directory An existing directory.
   * @throws IOException If the file system cannot be asked.
   */
  long usableBytes(Path directory) throws IOException;
}
