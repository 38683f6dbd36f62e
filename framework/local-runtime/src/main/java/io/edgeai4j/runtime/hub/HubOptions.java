package io.edgeai4j.runtime.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.routing.RouteSpec;
import io.edgeai4j.buffer.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable settings of a {@link LocalEdgeHub}. Build with {@link #builder()}; validated in
 * {@link Builder#build()}.
 *
 * @param deviceId The device id stamped on messages as {@code connectionDeviceId}.
 * @param routes The routes.
 * @param storeAndForwardTimeToLive The TTL of routes without their own; null for never.
 * @param maxStoreBytes The most bytes all queues may hold together.
 * @param moduleIds Every module of the manifest, started or external.
 * @param desiredProperties The manifest's desired properties per module.
 * @param upstream Where {@code $upstream} messages go: a JSON Lines file, or a link to a parent device.
 * @param cleanupInterval How often expired messages are removed.
 * @param redeliveryDelay How long an abandoned message waits before it is delivered again.
 * @param upstreamDrainTimeout How long closing waits for the {@code $upstream} queue to be written out.
 * @param clock The clock for enqueue and expiry times.
 * @param storeDirectory Where the hub keeps its queued messages so that they outlive it (see {@link LocalEdgeHub}),
 *     or null to keep them in memory only.
 * @param storeFsync When the store's writes are forced to the device; see {@link Builder#storeFsync}.
 */
public record HubOptions(
    String deviceId,
    List<RouteSpec> routes,
    Duration storeAndForwardTimeToLive,
    long maxStoreBytes,
    Set<String> moduleIds,
    Map<String, ObjectNode> desiredProperties,
    UpstreamTarget upstream,
    Duration cleanupInterval,
    Duration redeliveryDelay,
    Duration upstreamDrainTimeout,
    Clock clock,
    Path storeDirectory,
    FsyncPolicy storeFsync) {

  /** The store limit when the manifest sets no {@code storeLimits.maxSizeBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_STORE_BYTES = 64L * 1024 * 1024;

  /**
   * Validates the values and copies the collections.
   *
   * @throws IllegalArgumentException If a value is out of range, naming it.
   */
  public HubOptions {
    Objects.requireNonNull(upstream, "upstream target is required");
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("deviceId must not be blank");
    }
    if (maxStoreBytes <= 0) {
      throw new IllegalArgumentException("maxStoreBytes must be positive, found " + maxStoreBytes);
    }
    if (storeAndForwardTimeToLive != null && storeAndForwardTimeToLive.isNegative()) {
      throw new IllegalArgumentException(
          "storeAndForwardTimeToLive must be zero (expire at once), positive, or null (never), found "
              + storeAndForwardTimeToLive);
    }
    requirePositive("cleanupInterval", cleanupInterval);
    requirePositive("redeliveryDelay", redeliveryDelay);
    if (upstreamDrainTimeout == null || upstreamDrainTimeout.isNegative()) {
      throw new IllegalArgumentException("upstreamDrainTimeout must not be negative, found " + upstreamDrainTimeout);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(storeFsync, "storeFsync");
    if (storeDirectory != null && Files.exists(storeDirectory) && !Files.isDirectory(storeDirectory)) {
      throw new IllegalArgumentException("storeDirectory " + storeDirectory + " is a file, expected a directory"
          + " (or a path where one can be created)");
    }
    routes = List.copyOf(routes);
    moduleIds = Set.copyOf(moduleIds);
    Map<String, ObjectNode> copies = new java.util.LinkedHashMap<>();
    desiredProperties.forEach((k, v) -> copies.put(k, v.deepCopy()));
    desiredProperties = java.util.Collections.unmodifiableMap(copies);
  }

  /** Returns a copy of each module's desired properties. */
  @Override
  public Map<String, ObjectNode> desiredProperties() {
    Map<String, ObjectNode> copies = new java.util.LinkedHashMap<>();
    desiredProperties.forEach((k, v) -> copies.put(k, v.deepCopy()));
    return copies;
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, found " + d);
    }
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HubOptions}. Not thread-safe. */
  public static final class Builder {
    private String deviceId = "local-edge-device";
    private final List<RouteSpec> routes = new ArrayList<>();
    private Duration ttl = Duration.ofSeconds(7200);
    private long maxStoreBytes = DEFAULT_MAX_STORE_BYTES;
    private final Set<String> moduleIds = new LinkedHashSet<>();
    private final Map<String, ObjectNode> desired = new LinkedHashMap<>();
    private UpstreamTarget upstream;
    private Duration cleanupInterval = Duration.ofSeconds(1);
    private Duration redeliveryDelay = Duration.ofSeconds(1);
    private Duration upstreamDrainTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Path storeDirectory;
    private FsyncPolicy storeFsync = FsyncPolicy.DEFAULT;

    private Builder() {}

    /** Sets the device id; default {@code local-edge-device}. */
    public Builder deviceId(String deviceId) {
      this.deviceId = deviceId;
      return this;
    }

    /** Adds routes. */
    public Builder routes(List<RouteSpec> routes) {
      this.routes.addAll(routes);
      return this;
    }

    /** Sets the store-and-forward TTL; zero expires at once, null never; default 7200 s. */
    public Builder storeAndForwardTimeToLive(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** Sets the store limit in bytes; default {@link #DEFAULT_MAX_STORE_BYTES}. */
    public Builder maxStoreBytes(long maxStoreBytes) {
      this.maxStoreBytes = maxStoreBytes;
      return this;
    }

    /** Adds a module with its desired properties. */
    public Builder module(String moduleId, ObjectNode desiredProperties) {
      moduleIds.add(moduleId);
      desired.put(moduleId, desiredProperties);
      return this;
    }

    /** Sets where {@code $upstream} messages go (required). */
    public Builder upstream(UpstreamTarget upstream) {
      this.upstream = upstream;
      return this;
    }

    /** Sets how often expired messages are removed; default 1 s. */
    public Builder cleanupInterval(Duration cleanupInterval) {
      this.cleanupInterval = cleanupInterval;
      return this;
    }

    /** Sets the wait before an abandoned message is delivered again; default 1 s. */
    public Builder redeliveryDelay(Duration redeliveryDelay) {
      this.redeliveryDelay = redeliveryDelay;
      return this;
    }

    /** Sets how long closing waits for the {@code $upstream} queue to be written; default 5 s. */
    public Builder upstreamDrainTimeout(Duration upstreamDrainTimeout) {
      this.upstreamDrainTimeout = upstreamDrainTimeout;
      return this;
    }

    /** Sets the clock; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Sets the directory where the hub keeps its queued messages, one sub-directory per endpoint and priority, so
     * that messages stored before the hub closes (or its process dies) are delivered after a new hub opens the same
     * directory; created when missing. Null (the default) keeps them in memory only, lost at close.
     */
    public Builder storeDirectory(Path storeDirectory) {
      this.storeDirectory = storeDirectory;
      return this;
    }

    /**
     * Sets when the store's writes are forced to the storage device (fsync). Every write reaches the operating
     * system before {@code send} returns whatever this says, so a crash of the process loses no acknowledged
     * message; the policy bounds what a power loss can lose. Default {@link FsyncPolicy#DEFAULT}, forced once a
     * second from a background thread: a power loss may lose the last second of messages (and deliver the last
     * second of deliveries again), and sends never wait for the device. edgeHub does not force each write either:
     * its store calls RocksDB's {@code Put} without write options ({@code ColumnFamilyDbStore.Put} in Azure/iotedge
     * {@code edge-util}), so RocksDB's default, no sync, applies. {@link FsyncPolicy#always()} loses nothing, at one
     * fsync per message copy.
     */
    public Builder storeFsync(FsyncPolicy storeFsync) {
      this.storeFsync = storeFsync;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException If a value is out of range, naming it.
     */
    public HubOptions build() {
      return new HubOptions(deviceId, routes, ttl, maxStoreBytes, moduleIds, desired, upstream,
          cleanupInterval, redeliveryDelay, upstreamDrainTimeout, clock, storeDirectory, storeFsync);
    }
  }
}
