package io.edgeai4j.edgehub.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Per-module symmetric keys (32 random bytes, base64), created once per module and kept in a JSON file readable
 * only by the user; thread-safe.
 */
public final class ModuleKeys {
  private ModuleKeys() {
  }

  /** Opens (or creates) the key file and adds a key for every module id it lacks; persists atomically. */
  public static ModuleKeys open(Path file, String deviceId, Collection<String> moduleIds) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  public String deviceId() {
    throw new UnsupportedOperationException("not yet");
  }

  public Set<String> moduleIds() {
    throw new UnsupportedOperationException("not yet");
  }

  /** @throws IllegalArgumentException naming the known modules */
  public byte[] key(String moduleId) {
    throw new UnsupportedOperationException("not yet");
  }

  public String keyBase64(String moduleId) {
    throw new UnsupportedOperationException("not yet");
  }
}
