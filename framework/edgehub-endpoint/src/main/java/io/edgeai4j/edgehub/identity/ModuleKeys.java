package io.edgeai4j.edgehub.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-module symmetric keys (32 random bytes, base64), created once per module and kept in a JSON file readable
 * only by the user; thread-safe.
 *
 * <p>The file is {@code {"deviceId": "...", "modules": {"<moduleId>": "<base64 of 32 bytes>", ...}}}, created with
 * mode 0600 where the file system has POSIX permissions and always replaced atomically (temporary file, then move),
 * under an exclusive lock on {@code <file>.lock} so that two processes opening it at once keep each other's keys.
 * Keys of modules that the current manifest no longer lists stay in the file, so that a module that comes back
 * keeps its key; only the modules given to {@link #open} are served ({@link #moduleIds()}, {@link #key}). Immutable
 * once opened.
 */
public final class ModuleKeys {
  /** Bytes of a module key, as the IoT Edge security daemon makes them. */
  static final int KEY_BYTES = 32;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String deviceId;
  private final Map<String, byte[]> keys;

  private ModuleKeys(String deviceId, Map<String, byte[]> keys) {
    this.deviceId = deviceId;
    this.keys = keys;
  }

  /**
   * Opens (or creates) the key file and adds a key for every module id it lacks; persists atomically.
   *
   * @throws IOException when the file cannot be read or written, is not the JSON described above, holds a key that
   *     is not base64 of 32 bytes, or belongs to another device id (the message names both ids)
   * @throws IllegalArgumentException when the device id or a module id is blank
   */
  public static ModuleKeys open(Path file, String deviceId, Collection<String> moduleIds) throws IOException {
    Objects.requireNonNull(file, "file");
    requireId(deviceId, "device id");
    Set<String> wanted = new LinkedHashSet<>();
    for (String moduleId : Objects.requireNonNull(moduleIds, "moduleIds")) {
      wanted.add(requireId(moduleId, "module id"));
    }
    Map<String, byte[]> stored;
    // Read, add and write under a lock: edge run and edge module credentials may open the same file at once.
    synchronized (ModuleKeys.class) {
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        stored = Files.exists(file) ? read(file, deviceId) : new TreeMap<>();
        boolean changed = !Files.exists(file);
        for (String moduleId : wanted) {
          if (!stored.containsKey(moduleId)) {
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            stored.put(moduleId, key);
            changed = true;
          }
        }
        if (changed) {
          write(file, deviceId, stored);
        }
      }
    }
    Map<String, byte[]> served = new TreeMap<>();
    for (String moduleId : wanted) {
      served.put(moduleId, stored.get(moduleId));
    }
    return new ModuleKeys(deviceId, Collections.unmodifiableMap(served));
  }

  /** The device id the keys belong to. */
  public String deviceId() {
    return deviceId;
  }

  /** The modules served: those given to {@link #open}, sorted. */
  public Set<String> moduleIds() {
    return keys.keySet();
  }

  /**
   * Returns a copy of the module's 32-byte key.
   *
   * @throws IllegalArgumentException naming the known modules
   */
  public byte[] key(String moduleId) {
    byte[] key = keys.get(moduleId);
    if (key == null) {
      throw new IllegalArgumentException("No key for module '" + moduleId + "' of device '" + deviceId
          + "'; expected one of the known modules " + keys.keySet());
    }
    return key.clone();
  }

  /** Returns the module's key as base64, as connection strings carry it ({@code SharedAccessKey}). */
  public String keyBase64(String moduleId) {
    return Base64.getEncoder().encodeToString(key(moduleId));
  }

  private static String requireId(String id, String what) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("A " + what + " must not be blank; found " + (id == null ? "null" : "'"
          + id + "'"));
    }
    return id;
  }

  private static Map<String, byte[]> read(Path file, String deviceId) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException("Module key file " + file + " is not JSON: " + e.getOriginalMessage()
          + "; expected {\"deviceId\": ..., \"modules\": {\"<module id>\": \"<base64 key>\"}}", e);
    }
    if (root == null || !root.isObject() || !root.path("deviceId").isTextual() || !root.path("modules").isObject()) {
      throw new IOException("Module key file " + file + " has no text \"deviceId\" and object \"modules\"; expected "
          + "{\"deviceId\": ..., \"modules\": {\"<module id>\": \"<base64 key>\"}}");
    }
    String fileDevice = root.get("deviceId").asText();
    if (!fileDevice.equals(deviceId)) {
      throw new IOException("Module key file " + file + " belongs to device '" + fileDevice
          + "', not to the expected device '" + deviceId + "'; use another state directory or the device id '"
          + fileDevice + "'");
    }
    Map<String, byte[]> keys = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : root.get("modules").properties()) {
      keys.put(entry.getKey(), decodeKey(file, entry.getKey(), entry.getValue()));
    }
    return keys;
  }

  private static byte[] decodeKey(Path file, String moduleId, JsonNode value) throws IOException {
    byte[] key = null;
    if (value.isTextual()) {
      try {
        key = Base64.getDecoder().decode(value.asText());
      } catch (IllegalArgumentException e) {
        key = null;
      }
    }
    if (key == null || key.length != KEY_BYTES) {
      throw new IOException("Module key file " + file + ": the key of module '" + moduleId + "' is "
          + (key == null ? "not base64 text" : key.length + " bytes") + "; expected base64 of " + KEY_BYTES
          + " bytes");
    }
    return key;
  }

  private static void write(Path file, String deviceId, Map<String, byte[]> keys) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("deviceId", deviceId);
    ObjectNode modules = root.putObject("modules");
    keys.forEach((moduleId, key) -> modules.put(moduleId, Base64.getEncoder().encodeToString(key)));
    SecureFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), true);
  }
}
