package io.edgeai4j.module;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The start-up check of a directory a module writes (a spill buffer, a state directory, a model repository): it is
 * created if missing and must take a new file, else the module stops at once with a
 * {@link DirectoryNotWritableException} naming the path, the uid the module runs as, the owner and mode found and
 * the fix, instead of failing later on the first write.
 *
 * <p>The images run as uid {@value #IMAGE_UID}. On a fresh device, Docker creates a missing bind-mount source
 * directory owned by root, which that uid cannot write; a named volume instead takes the ownership of the image's
 * directory at the mount point. The check writes a real file (and deletes it), so it also catches a read-only file
 * system; a process running as root passes it wherever root may write. Stateless and thread-safe.
 */
public final class WritableDirectory {
  /** The uid (and gid) the module images run as ({@code USER 10001:10001} in every Dockerfile). */
  public static final int IMAGE_UID = 10001;

  private WritableDirectory() {}

  /**
   * Creates the directory if needed and checks that a file can be created in it.
   *
   * @param directory The directory.
   * @param purpose What the module keeps there and where the path came from, for the message, e.g.
   *     {@code "the spill buffer (SPILL_DIRECTORY)"}.
   * @return The directory, absolute.
   * @throws DirectoryNotWritableException If it cannot be created, is not a directory, or takes no new file.
   */
  public static Path require(Path directory, String purpose) throws DirectoryNotWritableException {
    Path absolute = directory.toAbsolutePath().normalize();
    String what = "Directory " + absolute + " (" + purpose + ")";
    Path existing = nearestExisting(absolute);
    if (existing != null && !Files.isDirectory(existing)) {
      throw new DirectoryNotWritableException(absolute, what + " cannot be created: " + existing
          + (existing.equals(absolute) ? " is" : ", on its path, is") + " not a directory (a file or a broken link);"
          + " remove it or point the setting at a directory", null);
    }
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      Path owner = existing == null ? absolute.getRoot() : existing;
      throw notWritable(absolute, what + " cannot be created: " + reason(e) + " in " + owner, owner, e);
    }
    Path probe = null;
    try {
      probe = Files.createTempFile(absolute, ".edgeai4j-write-check-", ".tmp");
    } catch (IOException e) {
      throw notWritable(absolute, what + " is not writable: " + reason(e), absolute, e);
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException ignored) {
          // The directory took the file, which is what was checked; a leftover probe is harmless.
        }
      }
    }
    return absolute;
  }

  /** Returns the uid this process runs as, from {@code /proc/self} (Linux), or -1 where it cannot be read. */
  static int processUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return -1;
    }
  }

  private static DirectoryNotWritableException notWritable(Path directory, String head, Path inspected,
      IOException cause) {
    int uid = processUid();
    String message = head + "; the module runs as " + (uid < 0 ? "user " + System.getProperty("user.name")
        : "uid " + uid) + " and " + inspected + " is " + ownerOf(inspected) + ". Docker creates a missing"
        + " bind-mount source directory owned by root. Fix: mount a named volume there (createOptions HostConfig"
        + " \"Mounts\": [{\"Type\": \"volume\", \"Source\": \"<name>\", \"Target\": \"" + directory + "\"}]; a new"
        + " volume takes the image's directory owner, uid " + IMAGE_UID + "), or give the host directory bound"
        + " there to the module: sudo chown -R " + IMAGE_UID + ":" + IMAGE_UID + " <host directory>";
    return new DirectoryNotWritableException(directory, message, cause);
  }

  private static String ownerOf(Path path) {
    try {
      PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Object gid = Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      return "owned by uid " + uid + " (" + attributes.owner().getName() + "), gid " + gid + ", mode "
          + PosixFilePermissions.toString(attributes.permissions());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "of an owner that cannot be read (" + e.getMessage() + ")";
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.toString();
  }

  /** Returns the path itself or its nearest ancestor that exists (a file or a directory), or null for none. */
  private static Path nearestExisting(Path path) {
    for (Path p = path; p != null; p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.exists(p)) {
        return p;
      }
    }
    return null;
  }
}
