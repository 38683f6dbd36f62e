package io.edgeai4j.nativebindings.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.nativebindings.NativeBindingException;
import io.edgeai4j.nativebindings.engine.CacheResult.Outcome;
import io.edgeai4j.nativebindings.engine.CacheResult.Rebuild;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialized engines on disk, one directory per {@link EngineCacheKey#digest()}: {@code <dir>/<digest>/engine.plan}
 * and {@code <dir>/<digest>/engine.json} (the key's fields, the build time, the builder's TensorRT version, the
 * plan's sha256 and size). A plan is only returned after its metadata matched the wanted key and its bytes matched
 * the recorded sha256; any other entry is removed and built again, with a log line saying why.
 *
 * <p>Files are written to a temporary name and moved into place; {@code engine.json} is written last, so an entry
 * without it was never complete. Builders of the same key are serialized by {@code <dir>/<digest>.lock}
 * ({@link FileChannel#lock()}) across processes and by a lock per key within this JVM, so the second caller finds
 * the first one's entry. The cache never evicts: it grows by one entry (about the plan's size) per distinct key;
 * {@link #sizeBytes()} is the figure to watch, and entries of an older TensorRT or model stay until deleted. Thread-safe.
 */
public final class EngineCache {
  static final String PLAN = "engine.plan";
  static final String METADATA = "engine.json";
  private static final Logger LOG = LoggerFactory.getLogger(EngineCache.class);
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  /** A cache in {@code dir}, created on the first build. */
  public EngineCache(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /**
   * The valid cached plan for {@code options} on {@code target}, built with {@code builder} when there is none.
   *
   * @throws IOException Reading the model, or the cache directory.
   * @throws NativeBindingException The build failed, or the builder's TensorRT is not the target's.
   */
  public CacheResult getOrBuild(EngineBuildOptions options, BuildTarget target, EngineBuilder builder,
      BuildProgress progress) throws IOException, NativeBindingException {
    EngineCacheKey key = EngineCacheKey.of(options, target);
    String digest = key.digest();
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(digest + ".lock");
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      Path entry = dir.resolve(digest);
      Optional<Invalid> invalid = validate(key, entry);
      if (invalid.isEmpty()) {
        LOG.info("engine cache hit {}: {}", entry, key);
        return new CacheResult(key, entry.resolve(PLAN), Outcome.HIT, Optional.empty(), "", Duration.ZERO);
      }
      Invalid why = invalid.get();
      if (why.reason() != null) {
        LOG.warn("engine cache entry {} not used ({}: {}): removed, rebuilding {}", entry, why.reason(),
            why.detail(), key);
      }
      deleteEntry(entry);
      Files.createDirectories(entry);
      Duration took = build(key, options, target, builder, entry, progress);
      return why.reason() == null
          ? new CacheResult(key, entry.resolve(PLAN), Outcome.MISS, Optional.empty(), "", took)
          : new CacheResult(key, entry.resolve(PLAN), Outcome.REBUILT, Optional.of(why.reason()), why.detail(), took);
    } finally {
      jvmLock.unlock();
    }
  }

  /** The bytes of every file in the cache: its growth, for a metric. */
  public long sizeBytes() throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Iterator<Path> it = files.filter(Files::isRegularFile).iterator(); it.hasNext(); ) {
        total += Files.size(it.next());
      }
      return total;
    }
  }

  private Duration build(EngineCacheKey key, EngineBuildOptions options, BuildTarget target, EngineBuilder builder,
      Path entry, BuildProgress progress) throws IOException, NativeBindingException {
    BuiltEngine built;
    try {
      built = builder.build(options, entry, progress);
    } catch (NativeBindingException | RuntimeException e) {
      deleteEntry(entry);
      throw e;
    }
    if (!built.tensorRt().equals(target.tensorRt())) {
      deleteEntry(entry);
      throw new NativeBindingException("engine cache", "the builder's TensorRT " + built.tensorRt()
          + " built the plan but the target is TensorRT " + target.tensorRt()
          + ": it would not load there; the plan was deleted");
    }
    Path plan = entry.resolve(PLAN);
    Files.move(built.plan(), plan, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    ObjectNode meta = BuildRequest.JSON.createObjectNode();
    meta.set("key", keyFields(key));
    meta.put("digest", key.digest())
        .put("builtAt", Instant.now().toString())
        .put("buildSeconds", built.buildTime().toNanos() / 1e9)
        .put("builderTensorRt", built.tensorRt().toString())
        .put("planSha256", Sha256.of(plan))
        .put("planBytes", Files.size(plan));
    Path tmp = Files.createTempFile(entry, "engine-", ".json.tmp");
    Files.writeString(tmp, BuildRequest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    Files.move(tmp, entry.resolve(METADATA), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("engine cache: built {} in {} s: {}", plan, built.buildTime().toMillis() / 1000.0, key);
    return built.buildTime();
  }

  /** Empty when the entry is valid; a reason null for a plain miss. */
  private static Optional<Invalid> validate(EngineCacheKey key, Path entry) throws IOException {
    Path metaFile = entry.resolve(METADATA);
    if (!Files.exists(metaFile)) {
      if (Files.isDirectory(entry)) {
        LOG.warn("engine cache entry {} has no {} (a build that did not finish): removed", entry, METADATA);
      }
      return Optional.of(new Invalid(null, ""));
    }
    JsonNode meta;
    try {
      meta = BuildRequest.JSON.readTree(metaFile.toFile());
    } catch (IOException e) {
      return Optional.of(new Invalid(Rebuild.UNREADABLE_METADATA, metaFile + ": " + e.getMessage()));
    }
    if (meta == null || !meta.path("key").isObject() || !meta.path("planSha256").isTextual()
        || !meta.path("planBytes").canConvertToLong()) {
      return Optional.of(new Invalid(Rebuild.UNREADABLE_METADATA, metaFile
          + ": expected an object with key, planSha256 and planBytes, found " + meta));
    }
    List<String> differences = differences(meta.get("key"), keyFields(key));
    if (!differences.isEmpty()) {
      return Optional.of(new Invalid(Rebuild.STALE, String.join("; ", differences)));
    }
    Path plan = entry.resolve(PLAN);
    long size;
    try {
      size = Files.size(plan);
    } catch (NoSuchFileException e) {
      return Optional.of(new Invalid(Rebuild.MISSING_PLAN, plan + " is missing"));
    }
    if (size != meta.get("planBytes").asLong()) {
      return Optional.of(new Invalid(Rebuild.CORRUPT_PLAN, plan + " has " + size + " bytes, "
          + METADATA + " recorded " + meta.get("planBytes").asLong()));
    }
    String sha = Sha256.of(plan);
    if (!sha.equals(meta.get("planSha256").asText())) {
      return Optional.of(new Invalid(Rebuild.CORRUPT_PLAN, plan + " sha256 " + sha + ", " + METADATA
          + " recorded " + meta.get("planSha256").asText()));
    }
    return Optional.empty();
  }

  static ObjectNode keyFields(EngineCacheKey key) {
    ObjectNode n = BuildRequest.JSON.createObjectNode()
        .put("tensorrt", key.tensorRt().toString())
        .put("gpu", key.gpuName())
        .put("computeCapability", key.computeMajor() + "." + key.computeMinor())
        .put("precision", key.precision().name());
    key.profiles().forEach(p -> n.withArray("profiles").add(EngineCacheKey.profileText(p)));
    if (key.profiles().isEmpty()) {
      n.putArray("profiles");
    }
    return n.put("workspaceBytes", key.workspaceBytes()).put("modelSha256", key.modelSha256());
  }

  private static List<String> differences(JsonNode found, ObjectNode wanted) {
    List<String> out = new ArrayList<>();
    wanted.fieldNames().forEachRemaining(f -> {
      // compared as JSON text: a number read back may be an int node where a long was written
      if (!wanted.get(f).toString().equals(String.valueOf(found.get(f)))) {
        out.add(f + ": entry " + found.get(f) + ", wanted " + wanted.get(f));
      }
    });
    return out;
  }

  private static void deleteEntry(Path entry) throws IOException {
    if (!Files.isDirectory(entry)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(entry)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(entry);
  }

  private record Invalid(Rebuild reason, String detail) {
  }
}
