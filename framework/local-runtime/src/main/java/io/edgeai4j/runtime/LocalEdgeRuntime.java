package io.edgeai4j.runtime;

import io.edgeai4j.module.EdgeModuleFactory;
import io.edgeai4j.module.host.ModuleHost;
import io.edgeai4j.module.metrics.MetricsServer;
import io.edgeai4j.runtime.hub.HubOptions;
import io.edgeai4j.runtime.hub.LocalEdgeHub;
import io.edgeai4j.runtime.hub.UpstreamTarget;
import io.edgeai4j.runtime.hub.UpstreamWriter;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestModule;
import io.edgeai4j.runtime.manifest.ModuleStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a deployment manifest on this machine: an in-process edgeHub, the manifest modules edgeai4j
 * provides (matched by image name, see {@link EdgeModuleFactory}), a loopback admin endpoint for twins
 * and methods, and the metrics and health endpoints.
 *
 * <p>Modules start in {@code startupOrder}, one after another, and stop in reverse order. A module
 * that fails to start stops the whole runtime, naming it. The creator owns the runtime and closes it;
 * {@link #close()} is idempotent and thread-safe.
 */
public final class LocalEdgeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEdgeRuntime.class);

  private final DeploymentManifest manifest;
  private final Map<String, ModuleRole> roles;
  private final LocalEdgeHub hub;
  private final UpstreamWriter upstream;
  private final UpstreamTarget upstreamTarget;
  private final List<ModuleHost> hosts;
  private final AdminServer admin;
  private final MetricsServer metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private java.nio.file.Path storeDirectory;
  private boolean closed;

  private LocalEdgeRuntime(DeploymentManifest manifest, Map<String, ModuleRole> roles, LocalEdgeHub hub,
      UpstreamWriter upstream, UpstreamTarget upstreamTarget, List<ModuleHost> hosts, AdminServer admin,
      MetricsServer metrics) {
    this.manifest = manifest;
    this.roles = roles;
    this.hub = hub;
    this.upstream = upstream;
    this.upstreamTarget = upstreamTarget;
    this.hosts = hosts;
    this.admin = admin;
    this.metrics = metrics;
  }

  /**
   * Starts a manifest.
   *
   * @param manifest The parsed manifest.
   * @param options Where to write, listen and find module implementations.
   * @return The running runtime, owned by the caller.
   * @throws RuntimeStartException If something cannot start; what had started is stopped.
   */
  public static LocalEdgeRuntime start(DeploymentManifest manifest, RuntimeOptions options)
      throws RuntimeStartException {
    Map<String, EdgeModuleFactory> factories = new HashMap<>();
    options.factories().forEach(f -> factories.put(f.id(), f));
    Map<String, ModuleRole> roles = new LinkedHashMap<>();
    for (ManifestModule m : manifest.modules()) {
      if (m.status() == ModuleStatus.STOPPED) {
        roles.put(m.name(), ModuleRole.STOPPED);
      } else if (factories.containsKey(m.imageName())) {
        roles.put(m.name(), options.processModules().contains(m.name()) ? ModuleRole.PROCESS : ModuleRole.STARTED);
      } else {
        roles.put(m.name(), ModuleRole.EXTERNAL);
        LOG.info("Module '{}' (image {}) is external: edgeai4j provides {}; it is not started, but its"
            + " routes, queues and twin exist", m.name(), m.image(), new java.util.TreeSet<>(factories.keySet()));
      }
    }

    UpstreamWriter upstream = null;
    LocalEdgeHub hub = null;
    List<ModuleHost> hosts = new ArrayList<>();
    AdminServer admin = null;
    MetricsServer metrics = null;
    try {
      UpstreamTarget target = options.upstream();
      if (target == null) {
        upstream = new UpstreamWriter(options.upstreamFile(), options.console());
        target = upstream;
      }
      HubOptions.Builder hubOptions = HubOptions.builder()
          .deviceId(options.deviceId())
          .routes(manifest.routes())
          .storeAndForwardTimeToLive(manifest.storeAndForwardTimeToLive())
          .maxStoreBytes(manifest.storeMaxSizeBytes().orElse(HubOptions.DEFAULT_MAX_STORE_BYTES))
          .upstream(target)
          .storeDirectory(options.storeDirectory());
      manifest.modules().forEach(m -> hubOptions.module(m.name(), manifest.desiredPropertiesOf(m.name())));
      hub = new LocalEdgeHub(hubOptions.build(), options.registry());
      // Bind both ports before any module starts, so that a busy port fails before any side effect.
      admin = AdminServer.start(options.adminAddress(), options.adminTokenFile(), hub, roles);
      if (options.metricsAddress() != null) {
        try {
          metrics = MetricsServer.start(options.metricsAddress(), options.registry());
        } catch (IOException e) {
          throw new IOException(e.getMessage() + "; choose another port with --metrics-port, or -1 to turn"
              + " metrics off", e);
        }
      }
      for (ManifestModule m : manifest.modules()) {
        if (roles.get(m.name()) != ModuleRole.STARTED) {
          continue;
        }
        io.edgeai4j.module.EdgeModule module;
        try {
          module = factories.get(m.imageName()).create();
        } catch (RuntimeException e) {
          throw new RuntimeStartException("module '" + m.name() + "' (image " + m.image()
              + ") could not be created: " + e, e);
        }
        ModuleHost host = ModuleHost.builder()
            .module(module)
            .transport(hub.transportFor(m.name()))
            .environment(moduleEnvironment(m, options))
            .metricsRegistry(options.registry())
            .drainTimeout(options.drainTimeout())
            .build();
        try {
          host.start();
        } catch (Exception e) {
          throw new RuntimeStartException("module '" + m.name() + "' (image " + m.image()
              + ") failed to start: " + e.getMessage(), e);
        }
        hosts.add(host);
        if (metrics != null) {
          metrics.register(m.name(), host);
        }
        LOG.info("Module '{}' started ({})", m.name(), m.imageName());
      }
      LocalEdgeRuntime runtime = new LocalEdgeRuntime(manifest, Collections.unmodifiableMap(roles), hub, upstream,
          target, hosts, admin, metrics);
      runtime.storeDirectory = options.storeDirectory();
      return runtime;
    } catch (IOException e) {
      closeAll(hosts, hub, upstream, admin, metrics);
      throw new RuntimeStartException("cannot start the local runtime: " + e.getMessage(), e);
    } catch (RuntimeStartException | RuntimeException e) {
      closeAll(hosts, hub, upstream, admin, metrics);
      throw e;
    }
  }

  /**
   * The environment a manifest module gets under this runtime: its {@code env} settings, then the IoT Edge runtime's
   * identity variables ({@code IOTEDGE_DEVICEID}, {@code IOTEDGE_MODULEID}, {@code IOTEDGE_IOTHUBHOSTNAME},
   * {@code IOTEDGE_GATEWAYHOSTNAME}) and {@code EDGEAI4J_RUNTIME=local}. In-process modules get it as it is; a
   * module process gets it with its connection's variables on top.
   *
   * @param m The module.
   * @param options The runtime's options (the device id).
   * @return A new, modifiable map in a stable order.
   */
  public static Map<String, String> moduleEnvironment(ManifestModule m, RuntimeOptions options) {
    Map<String, String> env = new LinkedHashMap<>(m.environment());
    env.put("IOTEDGE_DEVICEID", options.deviceId());
    env.put("IOTEDGE_MODULEID", m.name());
    env.put("IOTEDGE_IOTHUBHOSTNAME", "localhost");
    env.put("IOTEDGE_GATEWAYHOSTNAME", "localhost");
    env.put("EDGEAI4J_RUNTIME", "local");
    return env;
  }

  /** Returns the manifest being run. */
  public DeploymentManifest manifest() {
    return manifest;
  }

  /** Returns how each manifest module is treated. */
  public Map<String, ModuleRole> roles() {
    return roles;
  }

  /** Returns the in-process edgeHub. */
  public LocalEdgeHub hub() {
    return hub;
  }

  /** Returns the admin endpoint's port. */
  public int adminPort() {
    return admin.port();
  }

  /**
   * Returns the file holding the admin endpoint's token while the runtime runs; only the user can read it, and
   * {@link #close()} removes it.
   */
  public java.nio.file.Path adminTokenFile() {
    return admin.tokenFile();
  }

  /** Returns the metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /**
   * Returns the upstream JSON Lines file, or null when {@code $upstream} goes elsewhere (a child device's link to
   * its parent, see {@link #upstreamTarget()}).
   */
  public java.nio.file.Path upstreamFile() {
    return upstream == null ? null : upstream.path();
  }

  /** Returns the directory of the hub's durable store, or null when its queues are in memory. */
  public java.nio.file.Path storeDirectory() {
    return storeDirectory;
  }

  /** Returns where {@code $upstream} messages go: the upstream file's writer or a link to a parent device. */
  public UpstreamTarget upstreamTarget() {
    return upstreamTarget;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops modules in reverse startup order (draining their input), then the hub and the servers. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closeAll(hosts, hub, upstream, admin, metrics);
    stopped.countDown();
  }

  private static void closeAll(List<ModuleHost> hosts, LocalEdgeHub hub, UpstreamWriter upstream,
      AdminServer admin, MetricsServer metrics) {
    if (admin != null) {
      admin.close();
    }
    for (ListIterator<ModuleHost> it = hosts.listIterator(hosts.size()); it.hasPrevious(); ) {
      ModuleHost host = it.previous();
      try {
        host.stop();
      } catch (RuntimeException e) {
        LOG.error("Module '{}' did not stop cleanly", host.identity().moduleId(), e);
      }
    }
    if (hub != null) {
      hub.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (upstream != null) {
      try {
        upstream.close();
      } catch (IOException e) {
        LOG.error("Cannot close the upstream file", e);
      }
    }
  }
}
