package io.edgeai4j.buffer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a buffer directory, held through {@code buffer.lock} with
 * {@link FileChannel#tryLock()}, so that no two {@link DiskBuffer}s (in this process or another) use the
 * same files. The lock file stays when released. Owns its channel; {@link #close()} is idempotent.
 */
final class DirectoryLock implements Closeable {
  static final String FILE_NAME = "buffer.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock without waiting.
   *
   * @throws IOException If another buffer holds it; the message names the directory.
   */
  static DirectoryLock acquire(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("Disk buffer directory " + directory + " is in use by another process (it holds the"
            + " lock on " + file + "); expected a directory no other buffer has open");
      }
      return new DirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      IOException inUse = new IOException("Disk buffer directory " + directory + " is already open in this process;"
          + " expected a directory no other buffer has open");
      closeQuietly(channel, inUse);
      throw inUse;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
