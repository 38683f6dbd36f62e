package io.edgeai4j.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The secret a running {@code edge run} requires on its admin endpoint: 256 random bits, sent as
 * {@code Authorization: Bearer <token>}, written at start to a file only the user can read and removed at
 * stop.
 *
 * <p>The file is {@code admin-<port>.token} in the user's state directory ({@link #defaultFile(int)}), unless
 * the runtime is told another path. On a POSIX file system the directory is created {@code 0700} and the file
 * is created {@code 0600} (written to a temporary file made with those permissions, then moved into place), so
 * it is never readable by others, not even for a moment. Immutable and thread-safe.
 */
public final class AdminToken {
  /** The environment variable {@code edge twin} and {@code edge method} take a token from. */
  public static final String ENV = "EDGE_ADMIN_TOKEN";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private final String value;

  private AdminToken(String value) {
    this.value = value;
  }

  /** Draws a new token: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters). */
  static AdminToken random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new AdminToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** Returns the token text, as sent after {@code Bearer }. */
  String value() {
    return value;
  }

  /**
   * Says whether an {@code Authorization} header carries this token, comparing in constant time.
   *
   * @param authorization The header's value, or null when absent.
   */
  boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), given);
  }

  /**
   * Writes the token to a file only the user can read, replacing a stale file of an earlier run.
   *
   * @throws IOException If the directory or the file cannot be made.
   */
  void writeTo(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } else {
        Files.createDirectories(dir);
      }
    }
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, ".admin-", ".tmp", attributes);
    try {
      Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    // Also removed when the JVM exits on a signal before the runtime's own close runs (Ctrl-C during the start,
    // while models load): the close removes it as before; a SIGKILL leaves it, to be replaced by the next run.
    file.toFile().deleteOnExit();
  }

  /**
   * Returns the default token file of the admin endpoint on a port: {@code admin-<port>.token} in
   * {@link #stateDirectory()}.
   */
  public static Path defaultFile(int port) {
    return stateDirectory(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"))
        .resolve("admin-" + port + ".token");
  }

  /**
   * Returns the user's edgeai4j state directory: {@code $XDG_STATE_HOME/edgeai4j} when that variable is an
   * absolute path, else {@code ~/.local/state/edgeai4j}; on Windows {@code %LOCALAPPDATA%\edgeai4j}.
   */
  public static Path stateDirectory() {
    return stateDirectory(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
  }

  static Path stateDirectory(Map<String, String> env, String osName, String userHome) {
    if (osName.startsWith("Windows") && env.get("LOCALAPPDATA") != null) {
      return Path.of(env.get("LOCALAPPDATA"), "edgeai4j");
    }
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "edgeai4j");
    }
    return Path.of(userHome, ".local", "state", "edgeai4j");
  }

  /**
   * Reads a token file written by a running {@code edge run}.
   *
   * @return The token, without surrounding white space.
   * @throws NoSuchFileException If there is no such file.
   * @throws IOException If the file cannot be read, or is empty.
   */
  public static String read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      throw new IOException("the admin token file " + file + " is empty; expected the token 'edge run' wrote");
    }
    return text;
  }
}
