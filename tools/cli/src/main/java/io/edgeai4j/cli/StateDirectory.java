package io.edgeai4j.cli;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a local device keeps what must outlive one {@code edge run}: {@code pki/} (the edge CA and the server
 * certificate, {@code EdgeCertificates}), {@code module-keys.json} (each module's key, {@code ModuleKeys}) and
 * {@code store/} (the hub's queues on disk). {@code edge run --mqtt} and {@code edge module credentials} use the same
 * layout, so the credentials printed once stay valid. Immutable.
 *
 * @param root The directory; by default {@code .edgeai4j/<device-id>} in the working directory.
 */
public record StateDirectory(Path root) {
  /** The folder, in the working directory, that holds each device's state directory by default. */
  public static final String DEFAULT_PARENT = ".edgeai4j";

  /** Checks the path. */
  public StateDirectory {
    Objects.requireNonNull(root, "root");
  }

  /** {@code root}, or the default {@code .edgeai4j/<device-id>} when it is null; as an absolute path. */
  public static StateDirectory of(Path root, String deviceId) {
    return new StateDirectory((root != null ? root : Path.of(DEFAULT_PARENT, deviceId)).toAbsolutePath().normalize());
  }

  /** The edge CA and server certificate's directory. */
  public Path pki() {
    return root.resolve("pki");
  }

  /** The modules' key file. */
  public Path moduleKeys() {
    return root.resolve("module-keys.json");
  }

  /** The hub's store. */
  public Path store() {
    return root.resolve("store");
  }
}
