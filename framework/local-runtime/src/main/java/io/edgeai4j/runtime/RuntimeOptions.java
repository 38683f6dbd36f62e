package io.edgeai4j.runtime;

import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.runtime.hub.UpstreamTarget;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.ServiceLoader;

/**
 * Immutable settings of a {@link LocalEdgeRuntime}. Build with {@link #builder()}; validated in
 * {@link Builder#build()}.
 *
 * @param deviceId The device id modules see ({@code IOTEDGE_DEVICEID}).
 * @param upstreamFile The JSON Lines file {@code $upstream} messages are appended to, unless {@code upstream} is set.
 * @param console Where {@code $upstream} lines are echoed, or null.
 * @param adminAddress The loopback address of the admin endpoint ({@code edge twin}, {@code edge method}).
 * @param adminTokenFile Where the admin endpoint's token is written, or null for
 *     {@link AdminToken#defaultFile(int)} of the bound port.
 * @param metricsAddress The address of {@code /metrics} and {@code /health/*}, or null for none.
 * @param registry The metrics registry.
 * @param drainTimeout How long a stopping module may take to finish in-flight messages.
 * @param factories The module implementations manifest images are matched against.
 * @param upstream Where {@code $upstream} messages go instead of the file (a link to a parent device), or null for
 *     the file; the runtime does not close it.
 * @param storeDirectory Where the hub keeps its queues on disk, so that messages not yet delivered at close are
 *     delivered after a restart on the same directory (within their time to live); null keeps them in memory.
 * @param processModules Modules the runtime does not start in-process although edgeai4j provides them: they get
 *     {@link ModuleRole#PROCESS} (their queues and twins exist; something else runs them and connects them).
 */
public record RuntimeOptions(
    String deviceId,
    Path upstreamFile,
    PrintStream console,
    InetSocketAddress adminAddress,
    Path adminTokenFile,
    InetSocketAddress metricsAddress,
    PrometheusRegistry registry,
    Duration drainTimeout,
    List<EdgeModuleFactory> factories,
    UpstreamTarget upstream,
    Path storeDirectory,
    Set<String> processModules) {

  /** The admin endpoint's default port, on loopback only. */
  public static final int DEFAULT_ADMIN_PORT = 15580;
  /** The metrics port the IoT Edge metrics collector scrapes by convention. */
  public static final int DEFAULT_METRICS_PORT = 9600;

  /**
   * Validates the values and copies the factory list.
   *
   * @throws IllegalArgumentException If a value is invalid, naming it.
   */
  public RuntimeOptions {
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("deviceId must not be blank");
    }
    Objects.requireNonNull(upstreamFile, "upstreamFile");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(adminAddress, "adminAddress");
    if (!adminAddress.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the admin endpoint must listen on loopback only, found " + adminAddress);
    }
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must not be negative, found " + drainTimeout);
    }
    factories = List.copyOf(factories);
    processModules = Set.copyOf(processModules);
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link RuntimeOptions}. Not thread-safe. */
  public static final class Builder {
    private String deviceId = "local-edge-device";
    private Path upstreamFile = Path.of("edge-upstream.jsonl");
    private PrintStream console = System.out;
    private InetSocketAddress adminAddress =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_ADMIN_PORT);
    private Path adminTokenFile;
    private InetSocketAddress metricsAddress = new InetSocketAddress(DEFAULT_METRICS_PORT);
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private List<EdgeModuleFactory> factories;
    private UpstreamTarget upstream;
    private Path storeDirectory;
    private Set<String> processModules = Set.of();

    private Builder() {}

    /** Returns a builder holding these options, to derive others (e.g. one device of a hierarchy). */
    public static Builder from(RuntimeOptions options) {
      Builder b = new Builder();
      b.deviceId = options.deviceId();
      b.upstreamFile = options.upstreamFile();
      b.console = options.console();
      b.adminAddress = options.adminAddress();
      b.adminTokenFile = options.adminTokenFile();
      b.metricsAddress = options.metricsAddress();
      b.registry = options.registry();
      b.drainTimeout = options.drainTimeout();
      b.factories = new ArrayList<>(options.factories());
      b.upstream = options.upstream();
      b.storeDirectory = options.storeDirectory();
      b.processModules = options.processModules();
      return b;
    }

    /**
     * Sends {@code $upstream} messages to this target instead of the upstream file (a link to a parent device);
     * null for the file; default null. The runtime does not close it.
     */
    public Builder upstream(UpstreamTarget upstream) {
      this.upstream = upstream;
      return this;
    }

    /**
     * Keeps the hub's queues in this directory, so that messages not yet delivered at close are delivered after a
     * restart on the same directory; null (the default) keeps them in memory.
     */
    public Builder storeDirectory(Path storeDirectory) {
      this.storeDirectory = storeDirectory;
      return this;
    }

    /**
     * Names modules not to start in-process although edgeai4j provides them ({@link ModuleRole#PROCESS}); a name
     * that is not an edgeai4j module of the manifest changes nothing. Default none.
     */
    public Builder processModules(java.util.Collection<String> names) {
      this.processModules = Set.copyOf(names);
      return this;
    }

    /** Sets the device id; default {@code local-edge-device}. */
    public Builder deviceId(String deviceId) {
      this.deviceId = deviceId;
      return this;
    }

    /** Sets the upstream JSON Lines file; default {@code edge-upstream.jsonl}. */
    public Builder upstreamFile(Path upstreamFile) {
      this.upstreamFile = upstreamFile;
      return this;
    }

    /** Sets where upstream lines are echoed; null for nowhere; default standard output. */
    public Builder console(PrintStream console) {
      this.console = console;
      return this;
    }

    /** Sets the admin port on loopback; 0 picks a free one; default {@value #DEFAULT_ADMIN_PORT}. */
    public Builder adminPort(int port) {
      this.adminAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      return this;
    }

    /**
     * Sets the admin token file; default null: {@code admin-<port>.token} in the user's state directory
     * ({@link AdminToken#defaultFile(int)}).
     */
    public Builder adminTokenFile(Path adminTokenFile) {
      this.adminTokenFile = adminTokenFile;
      return this;
    }

    /** Sets the metrics address; null disables it; default all interfaces, port 9600. */
    public Builder metricsAddress(InetSocketAddress metricsAddress) {
      this.metricsAddress = metricsAddress;
      return this;
    }

    /** Sets the metrics registry; default the process-wide default registry. */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Sets the drain timeout of a stopping module; default 10 s. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** Sets the module implementations; default those found by {@link ServiceLoader}. */
    public Builder factories(List<EdgeModuleFactory> factories) {
      this.factories = new ArrayList<>(factories);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException If a value is invalid, naming it.
     */
    public RuntimeOptions build() {
      List<EdgeModuleFactory> found = factories;
      if (found == null) {
        found = new ArrayList<>();
        ServiceLoader.load(EdgeModuleFactory.class).forEach(found::add);
      }
      return new RuntimeOptions(deviceId, upstreamFile, console, adminAddress, adminTokenFile, metricsAddress,
          registry, drainTimeout, found, upstream, storeDirectory, processModules);
    }
  }
}
